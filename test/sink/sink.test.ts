import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parseFailure, Sink } from "../../engine/sink/index.js";
import { packageRoot } from "../../engine/paths.js";

const dir = mkdtempSync(join(tmpdir(), "ampx-sink-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let sink: Sink | undefined;
afterEach(async () => {
  await sink?.stop();
  sink = undefined;
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  });

describe("ampx sink", () => {
  it("answers 201, stores uploads with credentials redacted, dedupes by key for reporting, and lists them on GET /received", async () => {
    sink = await Sink.start({ port: 0 });
    const first = await post(
      sink.url + "api/v2/",
      { idempotencyKey: "plant:site:A" },
      { authorization: "Bearer abc", "x-ampx-api-key": "k" },
    );
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ status: "created", key: "plant:site:A", duplicate: false });
    await post(sink.url, { n: 2 }, { "idempotency-key": "plant:m1:B" });
    const again = await post(sink.url, { idempotencyKey: "plant:site:A" });
    expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    const listing = (await (await fetch(sink.url + "received")).json()) as {
      count: number;
      unique: number;
      items: { key: string; headers: Record<string, string> }[];
    };
    expect(listing).toMatchObject({ count: 3, unique: 2 });
    expect(listing.items[0]!.headers).toMatchObject({
      authorization: "Bearer <redacted>",
      "x-ampx-api-key": "<redacted>",
    });
    const unique = (await (await fetch(sink.url + "received?unique=1")).json()) as {
      items: { key: string }[];
    };
    expect(unique.items.map((i) => i.key)).toEqual(["plant:site:A", "plant:m1:B"]);
  });

  it("is told to fail at runtime through /_sink/control: status with Retry-After for N requests, delay, drop", async () => {
    sink = await Sink.start({ port: 0 });
    const control = await post(sink.url + "_sink/control", { status: 429, retryAfter: 7, count: 2 });
    expect(control.status).toBe(200);
    const r1 = await post(sink.url, { idempotencyKey: "k1" });
    expect(r1.status).toBe(429);
    expect(r1.headers.get("retry-after")).toBe("7");
    expect((await post(sink.url, { idempotencyKey: "k1" })).status).toBe(429);
    expect((await post(sink.url, { idempotencyKey: "k1" })).status).toBe(201);
    expect(sink.received()).toHaveLength(1);
    await post(sink.url + "_sink/control", { delayMs: 300 });
    const started = Date.now();
    expect((await post(sink.url, { idempotencyKey: "k2" })).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    await post(sink.url + "_sink/control", { drop: true });
    await expect(post(sink.url, { idempotencyKey: "k3" })).rejects.toThrow();
    expect((await post(sink.url + "_sink/control", { colour: 1 })).status).toBe(400);
    expect(sink.attempts).toBe(5);
    expect(() => parseFailure('{"status": 42}')).toThrow(/100..599/);
  });

  it("keeps what it received in a JSON-lines file across restarts", async () => {
    const file = join(dir, "received.jsonl");
    sink = await Sink.start({ port: 0, file });
    await post(sink.url, { idempotencyKey: "a" });
    await post(sink.url, { idempotencyKey: "b" });
    await sink.stop();
    sink = await Sink.start({ port: 0, file });
    await post(sink.url, { idempotencyKey: "a" });
    expect(sink.received().map((r) => [r.key, r.duplicate])).toEqual([
      ["a", false],
      ["b", false],
      ["a", true],
    ]);
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(3);
  });

  it("runs from the command line with a failure status and a separate control port", async () => {
    const child = spawn(
      process.execPath,
      [
        join(packageRoot, "bin/ampx.js"),
        "sink",
        "--port",
        "0",
        "--fail-status",
        "503",
        "--control-port",
        "0",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = "";
        child.stdout.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes("failing from the start")) resolve(text);
        });
        child.once("exit", (code) => reject(new Error(`ampx sink exited with ${code}: ${text}`)));
      });
      const url = /listening on (\S+)/.exec(output)![1]!;
      const control = /received:\s+curl (\S+)received/.exec(output)![1]!;
      expect(control).not.toBe(url);
      expect((await post(url, { idempotencyKey: "x" })).status).toBe(503);
      await post(control + "_sink/control", {});
      expect((await post(url, { idempotencyKey: "x" })).status).toBe(201);
      const listing = (await (await fetch(control + "received")).json()) as { count: number };
      expect(listing.count).toBe(1);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
