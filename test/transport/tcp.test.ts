import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConnectFailedError,
  ConnectionLostError,
  InvalidResponseError,
  ModbusExceptionError,
  TcpTransport,
  TimeoutError,
  reconnectDelay,
} from "../../engine/transport/index.js";
import type { AttemptEvent, TcpTransportOptions } from "../../engine/transport/index.js";
import { readAnswerPdu, startFakeTcp, tcpAdu } from "../helpers/fake-modbus.js";
import type { FakeRequest } from "../helpers/fake-modbus.js";
import { startModbusSerialTcp } from "../helpers/modbus-serial-servers.js";
import { startPymodbus } from "../helpers/pymodbus.js";
import { float32Words, put } from "../helpers/register-map.js";
import type { RegisterMap } from "../helpers/register-map.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function transport(port: number, options: Partial<TcpTransportOptions> = {}): TcpTransport {
  const t = new TcpTransport({
    host: "127.0.0.1",
    port,
    connectTimeoutMs: 1000,
    responseTimeoutMs: 300,
    reconnectDelayMs: 50,
    reconnectDelayMaxMs: 400,
    retries: 0,
    random: () => 0.5,
    ...options,
  });
  cleanups.push(() => t.close());
  return t;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

/** A fake that answers reads correctly from `words` (address → word) for the given unit. */
function goodAnswer(request: FakeRequest, words: (address: number) => number): Buffer {
  const data = Array.from({ length: request.count }, (_, i) => words(request.start + i));
  return tcpAdu(request.transactionId, request.unitId, readAnswerPdu(request.functionCode, data));
}

function meterMap(): RegisterMap {
  const unit1 = { holding: {} as Record<number, number>, input: {} as Record<number, number> };
  put(unit1.holding, 1010, [...float32Words(230.5), ...float32Words(231.25)]);
  put(unit1.input, 0, [7, 8, 9]);
  const unit7 = { holding: { 1010: 0x4348, 1011: 0x0000 } };
  return { 1: unit1, 7: unit7 };
}

describe("TcpTransport against modbus-serial's ServerTCP", () => {
  it("reads holding and input registers of two unit ids over one connection", async () => {
    const server = await startModbusSerialTcp(meterMap());
    cleanups.push(() => server.close());
    const t = transport(server.port);
    const words = await t.read(1, "holding", 1010, 4);
    const buffer = Buffer.alloc(8);
    words.forEach((w, i) => buffer.writeUInt16BE(w, 2 * i));
    expect(buffer.readFloatBE(0)).toBeCloseTo(230.5, 5);
    expect(buffer.readFloatBE(4)).toBeCloseTo(231.25, 5);
    expect(await t.read(1, "input", 0, 3)).toEqual([7, 8, 9]);
    expect(await t.read(7, "holding", 1010, 2)).toEqual([0x4348, 0]);
    expect(t.connects).toBe(1);
  });

  it("reports an exception for a register the server does not have", async () => {
    const server = await startModbusSerialTcp(meterMap());
    cleanups.push(() => server.close());
    const error = await rejection(transport(server.port).read(1, "holding", 5000, 2));
    expect(error).toBeInstanceOf(ModbusExceptionError);
    expect((error as ModbusExceptionError).exceptionCode).toBeGreaterThan(0);
  });

  it("writes registers with FC16 and reads them back", async () => {
    const server = await startModbusSerialTcp(meterMap());
    cleanups.push(() => server.close());
    const t = transport(server.port);
    await t.writeRegisters(1, 20, [11, 22]);
    expect(await t.read(1, "holding", 20, 2)).toEqual([11, 22]);
  });
});

describe("TcpTransport against python3-pymodbus", () => {
  it("reads the float32 values pymodbus serves", async () => {
    const map = meterMap();
    const server = await startPymodbus("tcp", map);
    cleanups.push(() => server.close());
    const t = transport(server.port, { responseTimeoutMs: 1000 });
    expect(await t.read(1, "holding", 1010, 4)).toEqual([...float32Words(230.5), ...float32Words(231.25)]);
    expect(await t.read(1, "input", 0, 3)).toEqual([7, 8, 9]);
    const error = await rejection(t.read(1, "holding", 3000, 2));
    expect(error).toBeInstanceOf(ModbusExceptionError);
    expect((error as ModbusExceptionError).exceptionCode).toBe(2);
  });
});

describe("TcpTransport never accepts a wrong answer", () => {
  it("refuses an answer from another unit id", async () => {
    const fake = await startFakeTcp((r) => tcpAdu(r.transactionId, r.unitId + 1, readAnswerPdu(3, [1, 2])));
    cleanups.push(() => fake.close());
    const error = await rejection(transport(fake.port).read(1, "holding", 0, 2));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).reason).toBe("unit-id");
    expect(error.message).toMatch(/came from unit 2/);
  });

  it("refuses byte counts that disagree with the request (short, long, lying)", async () => {
    const answers = [
      (r: FakeRequest) => tcpAdu(r.transactionId, r.unitId, readAnswerPdu(3, [1])),
      (r: FakeRequest) => tcpAdu(r.transactionId, r.unitId, readAnswerPdu(3, [1, 2, 3])),
      (r: FakeRequest) => tcpAdu(r.transactionId, r.unitId, readAnswerPdu(3, [1, 2], 2)),
      (r: FakeRequest) => tcpAdu(r.transactionId, r.unitId, readAnswerPdu(3, [1, 2], 6)),
    ];
    let which = 0;
    const fake = await startFakeTcp((r) => answers[which]!(r));
    cleanups.push(() => fake.close());
    const t = transport(fake.port);
    for (which = 0; which < answers.length; which++) {
      const error = await rejection(t.read(1, "holding", 0, 2));
      expect(error, `answer ${which}`).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).reason).toBe("byte-count");
    }
  });

  it("refuses a non-zero protocol id and an impossible MBAP length", async () => {
    let mode = "protocol";
    const fake = await startFakeTcp((r) =>
      mode === "protocol"
        ? tcpAdu(r.transactionId, r.unitId, readAnswerPdu(3, [1, 2]), 1)
        : Buffer.from([0, r.transactionId & 0xff, 0, 0, 0xff, 0xff, 1]),
    );
    cleanups.push(() => fake.close());
    const t = transport(fake.port);
    const error = await rejection(t.read(1, "holding", 0, 2));
    expect((error as InvalidResponseError).reason).toBe("protocol");
    mode = "length";
    const second = await rejection(t.read(1, "holding", 0, 2));
    expect(second).toBeInstanceOf(InvalidResponseError);
    expect(second.message).toMatch(/MBAP length 65535/);
  });

  it("drops a late answer to a timed-out request and takes the right one", async () => {
    let n = 0;
    const fake = await startFakeTcp(async (r) => {
      n++;
      if (n === 1) {
        await sleep(250);
        return tcpAdu(r.transactionId, r.unitId, readAnswerPdu(3, [0xdead, 0xdead]));
      }
      return tcpAdu(r.transactionId, r.unitId, readAnswerPdu(3, [5, 6]));
    });
    cleanups.push(() => fake.close());
    const t = transport(fake.port, { responseTimeoutMs: 100 });
    expect(await rejection(t.read(1, "holding", 0, 2))).toBeInstanceOf(TimeoutError);
    await sleep(200); // the stale answer arrives while nothing waits… or while the next request waits
    expect(await t.read(1, "holding", 0, 2)).toEqual([5, 6]);
  });
});

describe("TcpTransport connection handling", () => {
  it("fails fast with ConnectFailedError on a refused port and backs off between attempts", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const t = transport(port, { reconnectDelayMs: 300, reconnectDelayMaxMs: 1000 });
    const first = await rejection(t.read(1, "holding", 0, 1));
    expect(first).toBeInstanceOf(ConnectFailedError);
    expect(first.message).toMatch(/connection refused/);
    const second = await rejection(t.read(1, "holding", 0, 1));
    expect(second.message).toMatch(/next attempt in \d+ ms/);
    // Once a server listens there, the same transport reconnects by itself after the backoff.
    const fake = await startFakeTcp((r) => goodAnswer(r, (a) => a), port);
    cleanups.push(() => fake.close());
    await sleep(350);
    expect(await t.read(1, "holding", 3, 2)).toEqual([3, 4]);
  });

  it("reconnects after the peer closes the connection", async () => {
    let n = 0;
    const fake = await startFakeTcp((r) => (++n === 2 ? "close" : goodAnswer(r, (a) => a + 1)));
    cleanups.push(() => fake.close());
    const t = transport(fake.port);
    expect(await t.read(1, "holding", 0, 2)).toEqual([1, 2]);
    const error = await rejection(t.read(1, "holding", 0, 2));
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(await t.read(1, "holding", 10, 1)).toEqual([11]);
    expect(fake.connections).toBe(2);
  });

  it("retries once on a dropped connection when retries = 1, counting both attempts", async () => {
    let n = 0;
    const fake = await startFakeTcp((r) => (++n === 1 ? "close" : goodAnswer(r, (a) => a)));
    cleanups.push(() => fake.close());
    const t = transport(fake.port, { retries: 1 });
    const attempts: AttemptEvent[] = [];
    t.onAttempt((a) => attempts.push(a));
    expect(await t.read(3, "input", 4, 1)).toEqual([4]);
    expect(attempts.map((a) => [a.retry, a.error?.code])).toEqual([
      [0, "MODBUS_E_CONNECTION_LOST"],
      [1, undefined],
    ]);
  });

  it("takes a silent (half-open) connection for dead after 3 timeouts in a row and reconnects", async () => {
    let silent = true;
    const fake = await startFakeTcp((r) => (silent ? null : goodAnswer(r, () => 42)));
    cleanups.push(() => fake.close());
    const t = transport(fake.port, { responseTimeoutMs: 60 });
    for (let i = 0; i < 3; i++)
      expect(await rejection(t.read(1, "holding", 0, 1))).toBeInstanceOf(TimeoutError);
    expect(t.connected).toBe(false);
    silent = false;
    expect(await t.read(1, "holding", 0, 1)).toEqual([42]);
    expect(fake.connections).toBe(2);
  });

  it("keeps one request outstanding per connection and polls different hosts in parallel", async () => {
    const make = async () => {
      let inFlight = 0;
      let maxInFlight = 0;
      const fake = await startFakeTcp(async (r) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await sleep(80);
        inFlight--;
        return goodAnswer(r, (a) => a);
      });
      cleanups.push(() => fake.close());
      return { fake, max: () => maxInFlight };
    };
    const a = await make();
    const b = await make();
    const ta = transport(a.fake.port);
    const tb = transport(b.fake.port);
    await Promise.all([ta.read(1, "holding", 0, 1), tb.read(1, "holding", 0, 1)]); // connect
    const started = Date.now();
    await Promise.all([
      ta.read(1, "holding", 0, 1),
      ta.read(2, "holding", 0, 1),
      tb.read(1, "holding", 0, 1),
      tb.read(2, "holding", 0, 1),
    ]);
    const elapsed = Date.now() - started;
    expect(a.max()).toBe(1);
    expect(b.max()).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(150); // two requests in a row per host
    expect(elapsed).toBeLessThan(300); // the hosts in parallel, not 4 × 80 ms
  });

  it("computes the reconnect delay with doubling, a cap and equal jitter", () => {
    expect(reconnectDelay(1, 1000, 60_000, 0)).toBe(500);
    expect(reconnectDelay(1, 1000, 60_000, 1)).toBe(1000);
    expect(reconnectDelay(3, 1000, 60_000, 0.5)).toBe(3000);
    expect(reconnectDelay(20, 1000, 60_000, 1)).toBe(60_000);
  });
});
