// The simulator over Modbus RTU on a socat pseudo-terminal pair: modbus-serial's client, raw
// frames for every fault, and the RS485 wire-time emulation measured.
import ModbusMod from "modbus-serial";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decodeRegister } from "../../engine/decode/index.js";
import type { ResolvedRegister } from "../../engine/model.js";
import { crcMatches } from "../../engine/transport/crc16.js";
import { encodeRtu } from "../../engine/sim/rtu-frame.js";
import { SerialOpenError } from "../../engine/sim/rtu-server.js";
import { Simulator } from "../../engine/sim/simulator.js";
import { readTransactionTimeMs } from "../../engine/sim/wire-time.js";
import { openPtyPair, type PtyPair } from "../helpers/pty.js";
import { mp440, meter, rtuSite } from "./fixtures.js";
import { RawSerialClient } from "./raw-serial.js";

const ModbusRTU = ModbusMod.default;
const profile = mp440();
const reg = (q: string): ResolvedRegister =>
  profile.registers.find((r) => r.quantity === q) as ResolvedRegister;
const T0 = Date.UTC(2026, 11, 4, 12);

function readFrame(unitId: number, start: number, count: number): Buffer {
  return encodeRtu(unitId, Buffer.from([0x03, start >> 8, start & 0xff, 0, count]));
}

function dataWords(reply: Buffer): number[] {
  const words: number[] = [];
  for (let i = 3; i + 3 < reply.length; i += 2) words.push(reply.readUInt16BE(i));
  return words;
}

describe("RTU without wire-time emulation", () => {
  let pty: PtyPair;
  let sim: Simulator;
  let raw: RawSerialClient | undefined;

  beforeAll(async () => {
    pty = await openPtyPair();
    sim = new Simulator({
      site: rtuSite([meter("m1", profile, 1), meter("m2", profile, 2)], pty.a),
      wireTime: false,
      now: () => T0,
    });
    await sim.start();
  });

  afterEach(async () => {
    await raw?.close();
    raw = undefined;
    sim.meter("m1").clear().unset();
  });

  afterAll(async () => {
    await sim.stop();
    await pty.close();
  });

  it("answers modbus-serial's RTU client with the values it holds", async () => {
    const c = new ModbusRTU();
    await c.connectRTUBuffered(pty.b, { baudRate: 9600, parity: "none", dataBits: 8, stopBits: 1 });
    c.setTimeout(500);
    c.setID(2);
    const block = await c.readHoldingRegisters(1000, 16);
    const truth = sim.meter("m2").values();
    expect(decodeRegister(reg("voltage_l1"), block.data.slice(10, 12)).value).toBeCloseTo(
      truth.voltage_l1 as number,
      3,
    );
    c.setID(1);
    await expect(c.readHoldingRegisters(4000, 2)).rejects.toMatchObject({ modbusCode: 2 });
    sim.meter("m1").inject({ kind: "bad-crc" });
    await expect(c.readHoldingRegisters(1000, 2)).rejects.toThrow(/CRC/i);
    await new Promise<void>((resolve) => c.close(() => resolve()));
  });

  it("shows every fault in the reply bytes", async () => {
    raw = await RawSerialClient.open(pty.b);
    const m1 = sim.meter("m1");
    const ask = async (count = 2, waitMs = 300): Promise<Buffer> => {
      raw?.flush();
      raw?.write(readFrame(1, 1000, count));
      return (raw as RawSerialClient).read(5 + 2 * count, waitMs);
    };
    const good = await ask();
    expect(good.length).toBe(9);
    expect(crcMatches(good)).toBe(true);

    m1.inject({ kind: "bad-crc" });
    const corrupted = await ask();
    expect(corrupted.subarray(0, 7)).toEqual(good.subarray(0, 7));
    expect(crcMatches(corrupted)).toBe(false);

    m1.clear().inject({ kind: "wrong-unit-id" });
    const foreign = await ask();
    expect(foreign[0]).toBe(2);
    expect(crcMatches(foreign)).toBe(true);

    m1.clear().inject({ kind: "wrong-byte-count" });
    const short = await ask(4);
    expect(short.length).toBe(5 + 6);
    expect(short[2]).toBe(6);
    expect(crcMatches(short)).toBe(true);

    m1.clear().inject({ kind: "timeout" });
    expect((await ask(2, 200)).length).toBe(0);
    m1.clear().inject({ kind: "drop-connection" });
    expect((await ask(2, 200)).length).toBe(0);

    m1.clear().inject({ kind: "exception", code: 6 });
    expect((await ask(2, 300)).subarray(0, 3)).toEqual(Buffer.from([1, 0x83, 6]));

    m1.clear().inject({ kind: "delay", ms: 200 });
    const started = Date.now();
    expect((await ask(2, 1000)).length).toBe(9);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);

    m1.clear().inject({ kind: "out-of-range", quantity: "frequency", value: 75 });
    raw.flush();
    raw.write(readFrame(1, 1074, 2));
    expect(decodeRegister(reg("frequency"), dataWords(await raw.read(9))).value).toBe(75);
  });

  it("stays silent for unknown unit ids and recovers from line noise", async () => {
    raw = await RawSerialClient.open(pty.b);
    raw.write(readFrame(9, 1000, 2));
    expect((await raw.read(9, 200)).length).toBe(0);
    raw.write(Buffer.concat([Buffer.from([0x55, 0xaa, 0x01]), readFrame(1, 1000, 2)]));
    const reply = await raw.read(9, 500);
    expect(reply.length).toBe(9);
    expect(crcMatches(reply)).toBe(true);
  });

  it("says clearly when the serial device does not exist", async () => {
    const broken = new Simulator({ site: rtuSite([meter("m1", profile, 1)], "/dev/ttyAMPX-missing") });
    await expect(broken.start()).rejects.toBeInstanceOf(SerialOpenError);
    await expect(broken.start()).rejects.toThrow(/ttyAMPX-missing/);
  });
});

describe("RTU wire-time emulation at 9600 baud", () => {
  let pty: PtyPair;
  let sim: Simulator;
  let raw: RawSerialClient;
  const serial = { baudRate: 9600, parity: "none", dataBits: 8, stopBits: 1 } as const;
  const turnaroundMs = 4;

  beforeAll(async () => {
    pty = await openPtyPair();
    sim = new Simulator({
      site: rtuSite([meter("m1", profile, 1), meter("m2", profile, 2)], pty.a),
      wireTime: true,
      turnaroundMs,
    });
    await sim.start();
    raw = await RawSerialClient.open(pty.b);
  });

  afterAll(async () => {
    await raw.close();
    await sim.stop();
    await pty.close();
  });

  it("10 sequential reads of 60 registers take the computed bus time ±15 %", async () => {
    const count = 60;
    const expected = 10 * readTransactionTimeMs(count, serial, turnaroundMs);
    const started = performance.now();
    for (let i = 0; i < 10; i++) {
      raw.write(readFrame(1 + (i % 2), 1000, count));
      expect((await raw.read(5 + 2 * count, 1000)).length).toBe(5 + 2 * count);
    }
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(expected * 0.85);
    expect(elapsed).toBeLessThan(expected * 1.15);
  });

  it("serialises the bus: requests sent together are answered one after the other, without drift", async () => {
    const count = 20;
    const one = readTransactionTimeMs(count, serial, turnaroundMs);
    const started = performance.now();
    raw.write(Buffer.concat([1, 2, 1, 2].map((unit) => readFrame(unit, 1000, count))));
    const arrivals: number[] = [];
    for (let i = 0; i < 4; i++) {
      expect((await raw.read(5 + 2 * count, 1000)).length).toBe(5 + 2 * count);
      arrivals.push(performance.now() - started);
    }
    // Each reply is due one transaction after the previous one; timer lateness does not accumulate.
    expect(arrivals[0]).toBeGreaterThan(one * 0.85);
    expect(arrivals[1]).toBeGreaterThan(2 * one * 0.85);
    expect(arrivals[3]).toBeGreaterThan(4 * one * 0.85);
    expect(arrivals[3]).toBeLessThan(4 * one * 1.15);
  });
});
