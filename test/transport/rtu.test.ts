import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import {
  CrcError,
  InvalidResponseError,
  ModbusExceptionError,
  PortBusyError,
  PortNotFoundError,
  RtuTransport,
  TimeoutError,
} from "../../engine/transport/index.js";
import type { AttemptEvent, RtuTransportOptions } from "../../engine/transport/index.js";
import { readAnswerPdu, rtuFrame, startFakeRtu } from "../helpers/fake-modbus.js";
import type { FakeRequest, FakeResponder } from "../helpers/fake-modbus.js";
import { startModbusSerialRtu } from "../helpers/modbus-serial-servers.js";
import { openPtyPair } from "../helpers/pty.js";
import type { PtyPair } from "../helpers/pty.js";
import { startPymodbus } from "../helpers/pymodbus.js";
import { float32Words, put } from "../helpers/register-map.js";
import type { RegisterMap } from "../helpers/register-map.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function pty(): Promise<PtyPair> {
  const pair = await openPtyPair();
  cleanups.push(() => pair.close());
  return pair;
}

function transport(path: string, options: Partial<RtuTransportOptions> = {}): RtuTransport {
  const t = new RtuTransport({
    port: path,
    baudRate: 9600,
    parity: "none",
    dataBits: 8,
    stopBits: 1,
    responseTimeoutMs: 300,
    turnaroundDelayMs: 2,
    interFrameDelayMs: 4,
    retries: 0,
    reopenDelayMs: 100,
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

function good(r: FakeRequest, words = Array.from({ length: r.count }, (_, i) => r.start + i)): Buffer {
  return rtuFrame(r.unitId, readAnswerPdu(r.functionCode, words));
}

function meterMap(): RegisterMap {
  const holding: Record<number, number> = {};
  put(holding, 1010, [...float32Words(230.5), ...float32Words(49.98)]);
  return { 3: { holding, input: { 0: 1, 1: 2 } } };
}

describe("RtuTransport against independent slaves on a socat pty pair", () => {
  it("reads modbus-serial's ServerSerial", async () => {
    const { a, b } = await pty();
    const server = await startModbusSerialRtu(a, meterMap(), 3);
    cleanups.push(() => server.close());
    const t = transport(b);
    expect(await t.read(3, "holding", 1010, 4)).toEqual([...float32Words(230.5), ...float32Words(49.98)]);
    expect(await t.read(3, "input", 0, 2)).toEqual([1, 2]);
  });

  it("reads python3-pymodbus over RTU, including its exception for a missing register", async () => {
    const { a, b } = await pty();
    const server = await startPymodbus("rtu", meterMap(), a);
    cleanups.push(() => server.close());
    const t = transport(b, { responseTimeoutMs: 1000, retries: 2 });
    expect(await t.read(3, "holding", 1010, 4)).toEqual([...float32Words(230.5), ...float32Words(49.98)]);
    expect(await t.read(3, "input", 0, 2)).toEqual([1, 2]);
    const error = await rejection(t.read(3, "holding", 4000, 2));
    expect(error).toBeInstanceOf(ModbusExceptionError);
    expect((error as ModbusExceptionError).exceptionCode).toBe(2);
  });
});

describe("RtuTransport never accepts a wrong answer", () => {
  async function fake(respond: FakeResponder) {
    const { a, b } = await pty();
    const slave = await startFakeRtu(a, respond);
    cleanups.push(() => slave.close());
    return { slave, t: transport(b) };
  }

  it("refuses an answer from another unit id, then reads the right unit", async () => {
    const { t } = await fake((r) => (r.unitId === 1 ? rtuFrame(2, readAnswerPdu(3, [1, 2])) : good(r)));
    const error = await rejection(t.read(1, "holding", 0, 2));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).reason).toBe("unit-id");
    expect(error.message).toMatch(/from unit 2/);
    expect(await t.read(5, "holding", 7, 2)).toEqual([7, 8]);
  });

  it("refuses byte counts that disagree with the request", async () => {
    const answers = [
      (r: FakeRequest) => rtuFrame(r.unitId, readAnswerPdu(3, [1])),
      (r: FakeRequest) => rtuFrame(r.unitId, readAnswerPdu(3, [1, 2, 3])),
      (r: FakeRequest) => rtuFrame(r.unitId, readAnswerPdu(3, [1, 2], 6)),
      (r: FakeRequest) => rtuFrame(r.unitId, readAnswerPdu(3, [1, 2], 2)),
    ];
    let which = 0;
    const { t } = await fake((r) => answers[which]!(r));
    for (which = 0; which < answers.length; which++) {
      const error = await rejection(t.read(1, "holding", 0, 2));
      expect(error, `answer ${which}: ${error.message}`).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).reason, error.message).toMatch(/byte-count|length/);
    }
  });

  it("reports a corrupted CRC as CrcError and recovers on the next request", async () => {
    let n = 0;
    const { t } = await fake((r) => rtuFrame(r.unitId, readAnswerPdu(3, [9, 9]), ++n === 1));
    expect(await rejection(t.read(1, "holding", 0, 2))).toBeInstanceOf(CrcError);
    expect(await t.read(1, "holding", 0, 2)).toEqual([9, 9]);
  });

  it("reports exceptions with their code, timeouts, and retries what can be retried", async () => {
    let asked = 0;
    const { t, slave } = await fake((r) => {
      if (r.start === 99) return rtuFrame(r.unitId, Buffer.from([0x83, 0x02]));
      if (r.start === 50) return null;
      return ++asked % 2 === 1 ? null : good(r);
    });
    const attempts: AttemptEvent[] = [];
    t.onAttempt((a) => attempts.push(a));
    const exception = await rejection(t.read(1, "holding", 99, 1));
    expect(exception).toBeInstanceOf(ModbusExceptionError);
    expect(exception.message).toMatch(/exception 2 \(illegal data address\)/);
    const timeout = await rejection(t.read(1, "holding", 50, 1, 80));
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect(timeout.message).toMatch(/no answer within 80 ms/);
    // The first request at 4 goes unanswered: with one retry the read still succeeds.
    const retrying = transport(t.name, { retries: 1, responseTimeoutMs: 80 });
    await t.close();
    const before = slave.requests.length;
    retrying.onAttempt((a) => attempts.push(a));
    expect(await retrying.read(1, "holding", 4, 1)).toEqual([4]);
    expect(slave.requests.length - before).toBe(2);
    expect(attempts.map((a) => a.error?.code ?? "ok")).toEqual([
      "MODBUS_E_EXCEPTION",
      "MODBUS_E_TIMEOUT",
      "MODBUS_E_TIMEOUT",
      "ok",
    ]);
  });

  it("serialises concurrent requests: one request at a time on the bus", async () => {
    let busy = false;
    let overlaps = 0;
    const { t, slave } = await fake(async (r) => {
      if (busy) overlaps++;
      busy = true;
      await sleep(15);
      busy = false;
      return good(r);
    });
    const reads = Array.from({ length: 8 }, (_, i) => t.read(1 + (i % 4), "holding", i * 10, 2));
    const results = await Promise.all(reads);
    expect(results).toEqual(Array.from({ length: 8 }, (_, i) => [i * 10, i * 10 + 1]));
    expect(overlaps).toBe(0);
    expect(slave.requests.map((r) => r.start)).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
  });
});

describe("RtuTransport port errors", () => {
  it("names a port that does not exist", async () => {
    const t = transport("/dev/ttyAMPX-does-not-exist");
    const error = await rejection(t.read(1, "holding", 0, 1));
    expect(error).toBeInstanceOf(PortNotFoundError);
    expect(error.message).toMatch(/ttyAMPX-does-not-exist does not exist/);
    expect((error as PortNotFoundError).code).toBe("MODBUS_E_PORT_NOT_FOUND");
  });

  it("reports a port another process holds locked as busy, and opens it once released", async () => {
    const { b } = await pty();
    // flock runs `sleep` holding the lock: kill the whole process group to release it.
    const holder = spawn("flock", ["--exclusive", "--nonblock", b, "sleep", "30"], {
      stdio: "ignore",
      detached: true,
    });
    const holderExit = new Promise((resolve) => holder.once("exit", resolve));
    const release = async (): Promise<void> => {
      if (holder.exitCode === null && holder.signalCode === null) process.kill(-holder.pid!, "SIGTERM");
      await holderExit;
    };
    cleanups.push(release);
    await sleep(150);
    const t = transport(b, { reopenDelayMs: 50 });
    const error = await rejection(t.open());
    expect(error).toBeInstanceOf(PortBusyError);
    expect(error.message).toMatch(/in use by another process/);
    await release();
    await sleep(80);
    await t.open();
  });
});
