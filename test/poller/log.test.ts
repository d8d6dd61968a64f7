import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, prettyLine } from "../../engine/log.js";

function sink(tty: boolean) {
  const lines: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split("\n").filter(Boolean));
        done();
      },
    }),
    { isTTY: tty },
  );
  return { stream, lines };
}

describe("createLogger", () => {
  it("writes JSON lines when not on a terminal", () => {
    const { stream, lines } = sink(false);
    const logger = createLogger({ stream, name: "ampx" });
    logger.info({ meter: "m1", values: { voltage_l1: 230.1 } }, "samples");
    logger.debug("hidden at info level");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 30,
      name: "ampx",
      meter: "m1",
      values: { voltage_l1: 230.1 },
      msg: "samples",
    });
  });

  it("writes one readable line per entry on a terminal", () => {
    const { stream, lines } = sink(true);
    createLogger({ stream }).warn({ meter: "m2", code: "MODBUS_E_TIMEOUT" }, "read failed");
    const ESC = String.fromCharCode(27);
    expect(lines[0]!.startsWith(`${ESC}[33m`)).toBe(true);
    expect(lines[0]!.endsWith(`${ESC}[0m`)).toBe(true);
    expect(lines[0]).toMatch(/\d\d:\d\d:\d\d\.\d{3} WARN {2}read failed {2}meter=m2 code=MODBUS_E_TIMEOUT/);
  });

  it("never writes secrets", () => {
    const { stream, lines } = sink(false);
    createLogger({ stream }).info(
      {
        upload: { auth: { type: "bearer", token: "s3cret-token" } },
        password: "hunter2",
        headers: { Authorization: "Bearer abc" },
      },
      "config",
    );
    expect(lines[0]).not.toMatch(/s3cret-token|hunter2|Bearer abc/);
    expect(lines[0]).toMatch(/\[redacted\]/);
  });
});

describe("prettyLine", () => {
  it("passes through what is not JSON", () => {
    expect(prettyLine("plain text")).toBe("plain text");
  });
});
