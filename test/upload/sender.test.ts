import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Sink } from "../../engine/sink/index.js";
import { testSite } from "./fixtures.js";
import type { TestSiteOptions } from "./fixtures.js";
import { harness, L } from "./harness.js";
import type { Harness } from "./harness.js";

const TOKEN = "tok-7f3a9c-never-log-me";
beforeAll(() => {
  process.env.AMPX_TEST_UPLOAD_TOKEN = TOKEN;
});

let sink: Sink | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await sink?.stop();
  h = undefined;
  sink = undefined;
});

const site = (url: string, upload: TestSiteOptions["upload"] = {}) =>
  testSite({
    url,
    upload: {
      auth: { type: "bearer", token: "${env:AMPX_TEST_UPLOAD_TOKEN}" },
      retryDelayMs: 1000,
      retryDelayMaxMs: 15 * 60_000,
      batchSize: 7,
      timeoutMs: 2000,
      ...upload,
    },
  });

/** Every key exactly once after dedupe, in order. */
function expectExactlyOnceInOrder(s: Sink, keys: string[]): void {
  expect(s.unique().map((r) => r.key)).toEqual(keys);
}

describe("Sender against a real HTTP sink", () => {
  it("drains oldest first in batches, with the idempotency key header, bearer auth and no secrets or bodies in the logs", async () => {
    sink = await Sink.start({ port: 0 });
    h = harness(site(sink.url + "api/v2/"));
    h.sender.start();
    const keys = h.addIntervals(0, 30);
    await h.runUntil(() => sink!.received().length >= 30);
    expectExactlyOnceInOrder(sink, keys);
    expect(sink.received()).toHaveLength(30);
    const raw = sink.rawRequests()[0]!;
    expect(raw.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(raw.headers["idempotency-key"]).toBe(keys[0]);
    expect(sink.received()[0]!.headers.authorization).toBe("Bearer <redacted>");
    expect(sink.received()[0]!.path).toBe("/api/v2/");
    expect(h.store.uploadStatus()).toMatchObject({
      pending: 0,
      sent: 30,
      rejected: 0,
      lastSuccessKey: keys[29],
    });
    const info = h.lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 30);
    expect(info.filter((l) => l.includes("upload accepted"))).toHaveLength(30);
    expect(h.lines.join("\n")).not.toContain(TOKEN);
    expect(info.join("\n")).not.toContain("PAYLOAD-BODY");
  });

  it("500s: retries with exponential backoff (jitter source fixed), then delivers everything once, in order", async () => {
    sink = await Sink.start({ port: 0, failure: { status: 500, count: 5 } });
    h = harness(site(sink.url));
    h.sender.start();
    const keys = h.addIntervals(0, 4);
    const waits: number[] = [];
    let last = h.clock.now();
    await h.runUntil(() => {
      const next = h!.sender.status().nextAttemptAt;
      if (next !== null && next > last) {
        waits.push(next - h!.clock.now());
        last = next;
      }
      return sink!.received().length >= 4;
    });
    expectExactlyOnceInOrder(sink, keys);
    expect(sink.attempts).toBe(4 + 5);
    expect(waits.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(h.store.outboxEntries()[0]).toMatchObject({ attempts: 6, lastStatus: 201, state: "sent" });
  });

  it("429 honours Retry-After; dropped connections are retried too", async () => {
    sink = await Sink.start({ port: 0, failure: { status: 429, retryAfter: 42, count: 1 } });
    h = harness(site(sink.url));
    h.sender.start();
    const keys = h.addIntervals(0, 1);
    await h.runUntil(() => sink!.attempts >= 1 && h!.sender.status().nextAttemptAt !== null);
    expect(h.sender.status().nextAttemptAt! - h.clock.now()).toBe(42_000);
    expect(h.store.outboxEntries()[0]).toMatchObject({ state: "pending", lastStatus: 429, attempts: 1 });
    const elapsed = await h.runUntil(() => sink!.received().length >= 1);
    expect(elapsed).toBe(42_000);
    sink.setFailure({ drop: true, count: 2 });
    keys.push(...h.addIntervals(1, 2));
    await h.runUntil(() => sink!.received().length >= 3);
    expectExactlyOnceInOrder(sink, keys);
    expect(sink.attempts).toBe(1 + 1 + 2 + 2);
    expect(h.store.outboxEntries()[1]).toMatchObject({ attempts: 3, state: "sent" });
  });

  it("timeouts and slow answers: the API may have stored a request whose answer came too late; dedupe by key leaves each once", async () => {
    sink = await Sink.start({ port: 0, failure: { delayMs: 400 } });
    h = harness(site(sink.url, { timeoutMs: 150 }));
    h.sender.start();
    const keys = h.addIntervals(0, 2);
    await h.runUntil(() => sink!.received().length >= 2, 6);
    expect(h.store.uploadStatus().sent).toBe(0);
    expect(h.store.outboxEntries()[0]!.lastError).toMatch(/no answer within 150 ms/);
    sink.setFailure({ delayMs: 100 }); // slow but within the timeout
    await h.runUntil(() => h!.store.uploadStatus().sent >= 2);
    expect(sink.received().length).toBeGreaterThan(2); // the timed-out attempts were stored by the API
    expectExactlyOnceInOrder(sink, keys);
    expect(
      sink
        .received()
        .filter((r) => r.duplicate)
        .every((r) => keys.includes(r.key!)),
    ).toBe(true);
  });

  it("401 parks the entry as rejected with status and body for the dashboard, moves on, and is not retried", async () => {
    sink = await Sink.start({ port: 0, failure: { status: 401, count: 1 } });
    h = harness(site(sink.url));
    h.sender.start();
    const keys = h.addIntervals(0, 3);
    await h.runUntil(() => sink!.received().length >= 2);
    await h.runUntil(() => false, 20); // let time pass: the parked entry must not be retried
    expect(sink.attempts).toBe(3);
    expect(sink.unique().map((r) => r.key)).toEqual(keys.slice(1));
    const parked = h.store.outboxEntries({ state: "rejected" });
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ key: keys[0], lastStatus: 401, attempts: 1 });
    expect(parked[0]!.lastResponse).toContain("sink told to answer 401");
    expect(h.sender.status()).toMatchObject({ rejected: 1, pending: 0, sent: 2 });
    // After fixing the key, the operator puts it back in the queue.
    expect(h.store.requeueRejected()).toBe(1);
    h.sender.notify();
    await h.runUntil(() => sink!.unique().length >= 3);
    expect(
      sink
        .unique()
        .map((r) => r.key)
        .sort(),
    ).toEqual([...keys].sort());
  });

  it("API down for hours (connection refused), intervals keep closing; when it is back the backlog drains once, in order", async () => {
    sink = await Sink.start({ port: 0 });
    const port = sink.port;
    await sink.stop();
    h = harness(site(`http://127.0.0.1:${port}/`, { batchSize: 20 }));
    h.sender.start();
    const keys = h.addIntervals(0, 1);
    const outageEnd = h.clock.now() + 5 * 3_600_000;
    while (h.clock.now() < outageEnd) {
      const nextClose = h.clock.now() + L;
      await h.runUntil(() => h!.clock.now() >= nextClose);
      keys.push(...h.addIntervals(keys.length, 1)); // the aggregator closes an interval every 15 minutes
    }
    const attempts = h.store.outboxEntries()[0]!.attempts;
    expect(attempts).toBeGreaterThan(8);
    expect(attempts).toBeLessThan(40); // capped backoff: not hammering the API for 5 hours
    expect(h.store.uploadStatus().pending).toBe(keys.length);
    sink = await Sink.start({ port });
    await h.runUntil(() => sink!.unique().length >= keys.length);
    expect(keys.length).toBeGreaterThan(15);
    expectExactlyOnceInOrder(sink, keys);
    expect(sink.received()).toHaveLength(keys.length);
  });

  it("an entry stamped far in the future (the clock went back) is sent now instead of stalling the queue", async () => {
    sink = await Sink.start({ port: 0 });
    h = harness(site(sink.url));
    const keys = h.addIntervals(0, 2);
    h.store.db.prepare("UPDATE outbox SET next_attempt = ?").run(h.clock.now() + 365 * 86_400_000);
    h.sender.start();
    const elapsed = await h.runUntil(() => sink!.received().length >= 2, 5);
    expect(elapsed).toBeLessThan(60_000);
    expectExactlyOnceInOrder(sink, keys);
  });

  it("basic auth and an API-key header (X-AmpX-Api-Key) with successStatus 201", async () => {
    sink = await Sink.start({ port: 0 });
    h = harness(
      testSite({
        url: sink.url,
        upload: {
          auth: { type: "header", header: "X-AmpX-Api-Key", value: "${env:AMPX_TEST_UPLOAD_TOKEN}" },
          successStatus: [201],
          headers: { "X-Extra": "1" },
        },
      }),
    );
    h.sender.start();
    h.addIntervals(0, 1);
    await h.runUntil(() => sink!.received().length >= 1);
    expect(sink.rawRequests()[0]!.headers["x-ampx-api-key"]).toBe(TOKEN);
    expect(sink.rawRequests()[0]!.headers["x-extra"]).toBe("1");
    await h.close();
    h = harness(
      testSite({
        url: sink.url,
        upload: { auth: { type: "basic", username: "gw", password: "${env:AMPX_TEST_UPLOAD_TOKEN}" } },
      }),
    );
    h.sender.start();
    h.addIntervals(5, 1);
    await h.runUntil(() => sink!.received().length >= 2);
    expect(sink.rawRequests()[1]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`gw:${TOKEN}`).toString("base64")}`,
    );
  });

  it("a 2xx outside successStatus is parked, not counted as delivered", async () => {
    sink = await Sink.start({ port: 0, acceptStatus: 200 });
    h = harness(site(sink.url, { successStatus: [201] }));
    h.sender.start();
    h.addIntervals(0, 1);
    await h.runUntil(() => h!.store.uploadStatus().rejected === 1);
    expect(h.store.outboxEntries()[0]).toMatchObject({ state: "rejected", lastStatus: 200 });
  });

  it("HTTPS with a custom CA: trusted with upload.caFile, refused (and retried, not parked) without", async () => {
    const h0 = harness(testSite());
    const dir = h0.dir;
    const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
    ssl(
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=ampx test CA",
    );
    ssl(
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      "server.key",
      "-out",
      "server.csr",
      "-subj",
      "/CN=127.0.0.1",
    );
    const ext = join(dir, "san.ext");
    execFileSync("sh", ["-c", `printf 'subjectAltName=IP:127.0.0.1\n' > ${ext}`]);
    ssl(
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      "-days",
      "2",
      "-extfile",
      ext,
    );
    const bodies: string[] = [];
    const server = https.createServer(
      { key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.pem")) },
      (req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString()));
        req.on("end", () => {
          bodies.push(body);
          res.writeHead(201).end("{}");
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      h = harness(testSite({ url }));
      h.sender.start();
      h.addIntervals(0, 1);
      await h.runUntil(() => h!.store.outboxEntries()[0]!.attempts >= 1, 5);
      expect(h.store.outboxEntries()[0]).toMatchObject({ state: "pending" });
      expect(h.store.outboxEntries()[0]!.lastError).toMatch(/certificate/i);
      await h.close();
      h = harness(testSite({ url, upload: { caFile: join(dir, "ca.pem") } }));
      h.sender.start();
      h.addIntervals(0, 1);
      await h.runUntil(() => bodies.length >= 1);
      expect(h.store.uploadStatus().sent).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
      await h0.close();
    }
  });
});
