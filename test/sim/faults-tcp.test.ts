// Every fault, switched over the HTTP control API and observed by a client over Modbus TCP.
import ModbusMod from "modbus-serial";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decodeRegister } from "../../engine/decode/index.js";
import type { ResolvedRegister } from "../../engine/model.js";
import { SimulatorControlClient, SimulatorControlError } from "../../engine/sim/control-client.js";
import { SimControlServer } from "../../engine/sim/control-server.js";
import { encodeMbap } from "../../engine/sim/mbap.js";
import { Simulator } from "../../engine/sim/simulator.js";
import { freePort } from "../helpers/free-port.js";
import { mp440, meter, tcpSite } from "./fixtures.js";
import { RawTcpClient } from "./raw-client.js";

const ModbusRTU = ModbusMod.default;
const profile = mp440();
const reg = (q: string): ResolvedRegister =>
  profile.registers.find((r) => r.quantity === q) as ResolvedRegister;

let sim: Simulator;
let control: SimControlServer;
let api: SimulatorControlClient;
let port = 0;
let rawClient: RawTcpClient | undefined;

beforeAll(async () => {
  // Both meters behind one host:port, as behind a TCP gateway.
  port = await freePort();
  sim = new Simulator({
    site: tcpSite([meter("m1", profile, 1, { host: "127.0.0.1", port }), meter("m2", profile, 2, { port })]),
  });
  await sim.start();
  control = new SimControlServer(sim, { port: 0 });
  api = new SimulatorControlClient((await control.listen()).url);
});

afterEach(async () => {
  rawClient?.close();
  rawClient = undefined;
  await api.clear("m1");
  await api.unset("m1");
});

afterAll(async () => {
  await control.close();
  await sim.stop();
});

/** Sends one read over a fresh connection; resolves with the raw reply bytes (empty on silence). */
async function rawRead(start: number, count: number, unitId = 1, waitMs = 400): Promise<Buffer> {
  rawClient = await RawTcpClient.open(port);
  rawClient.write(encodeMbap(9, unitId, Buffer.from([0x03, start >> 8, start & 0xff, 0, count])));
  return rawClient.read(9 + 2 * count, waitMs);
}

function dataWords(reply: Buffer): number[] {
  const words: number[] = [];
  for (let i = 9; i + 1 < reply.length; i += 2) words.push(reply.readUInt16BE(i));
  return words;
}

describe("control API", () => {
  it("lists meters with their endpoint, faults and counts", async () => {
    const meters = await api.meters();
    expect(meters.map((m) => [m.id, m.unitId, m.profile])).toEqual([
      ["m1", 1, "meatrol/mp440"],
      ["m2", 2, "meatrol/mp440"],
    ]);
    expect(meters[0]?.endpoint).toEqual({
      meterId: "m1",
      unitId: 1,
      transport: "tcp",
      host: "127.0.0.1",
      port,
    });
  });

  it("rejects unknown meters, kinds and quantities with a coded error", async () => {
    await expect(api.inject("nope", { kind: "timeout" })).rejects.toMatchObject({ status: 404 });
    await expect(api.inject("m1", { kind: "sleep" } as never)).rejects.toMatchObject({
      status: 400,
      code: "SIM_E_FAULT",
    });
    await expect(api.set("m1", { thd_voltage_l1: 3 })).rejects.toBeInstanceOf(SimulatorControlError);
  });

  it("sets a value that the next read serves, and releases it", async () => {
    await api.set("m1", { voltage_l1: 251.25 });
    expect(decodeRegister(reg("voltage_l1"), dataWords(await rawRead(1010, 2))).value).toBe(251.25);
    expect((await api.values("m1")).voltage_l1).toBe(251.25);
    await api.set("m1", { voltage_l1: null });
    expect(decodeRegister(reg("voltage_l1"), dataWords(await rawRead(1010, 2))).value).not.toBe(251.25);
  });
});

describe("faults seen by a TCP client", () => {
  it("timeout: no answer; the other meter on the same server still answers", async () => {
    await api.inject("m1", { kind: "timeout" });
    const c = new ModbusRTU();
    await c.connectTCP("127.0.0.1", { port });
    c.setTimeout(300);
    c.setID(1);
    await expect(c.readHoldingRegisters(1000, 2)).rejects.toMatchObject({ errno: "ETIMEDOUT" });
    await new Promise<void>((resolve) => c.close(() => resolve()));
    expect((await rawRead(1000, 2, 2)).length).toBe(13);
  });

  it("delay: the answer comes late", async () => {
    await api.inject("m1", { kind: "delay", ms: 250 });
    const started = Date.now();
    const reply = await rawRead(1000, 2, 1, 1500);
    expect(reply.length).toBe(13);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it("exception: the client gets the code", async () => {
    await api.inject("m1", { kind: "exception", code: 4 });
    const c = new ModbusRTU();
    await c.connectTCP("127.0.0.1", { port });
    c.setID(1);
    await expect(c.readHoldingRegisters(1000, 2)).rejects.toMatchObject({ modbusCode: 4 });
    await new Promise<void>((resolve) => c.close(() => resolve()));
  });

  it("wrong unit id and wrong byte count are visible in the reply", async () => {
    await api.inject("m1", { kind: "wrong-unit-id", unitId: 17 });
    expect((await rawRead(1000, 2))[6]).toBe(17);
    rawClient?.close();
    await api.clear("m1");
    await api.inject("m1", { kind: "wrong-byte-count" });
    const reply = await rawRead(1000, 4, 1, 300);
    expect(reply[8]).toBe(6);
    expect(reply.length).toBe(9 + 6);
    expect(reply.readUInt16BE(4)).toBe(3 + 6);
  });

  it("drop-connection closes the socket, once when times is 1", async () => {
    await api.inject("m1", { kind: "drop-connection", times: 1 });
    await rawRead(1000, 2);
    expect(await rawClient?.waitClosed()).toBe(true);
    expect((await rawRead(1000, 2)).length).toBe(13);
  });

  it("bad-crc does not exist on TCP: the reply is normal", async () => {
    await api.inject("m1", { kind: "bad-crc" });
    expect((await rawRead(1000, 2)).length).toBe(13);
  });

  it("nan and out-of-range reach the decoder as invalid and out_of_range", async () => {
    await api.inject("m1", { kind: "nan", quantity: "frequency" });
    expect(decodeRegister(reg("frequency"), dataWords(await rawRead(1074, 2)))).toEqual({
      value: null,
      quality: "invalid",
    });
    rawClient?.close();
    await api.inject("m1", { kind: "out-of-range" });
    const withRange = { ...reg("voltage_l2"), range: { min: 0, max: 500 } };
    expect(decodeRegister(withRange, dataWords(await rawRead(1012, 2)))).toEqual({
      value: 9999,
      quality: "out_of_range",
    });
  });

  it("counter-reset: the energy counter falls to zero", async () => {
    const before = decodeRegister(reg("active_energy_import"), dataWords(await rawRead(2512, 4)))
      .value as number;
    rawClient?.close();
    expect(before).toBeGreaterThan(100);
    const state = await api.inject("m1", { kind: "counter-reset" });
    expect(state.faults).toEqual([]);
    const after = decodeRegister(reg("active_energy_import"), dataWords(await rawRead(2512, 4)))
      .value as number;
    expect(after).toBeLessThan(1);
  });

  it("counts requests per meter", async () => {
    const before = (await api.meters()).find((m) => m.id === "m2")?.stats.requests ?? 0;
    await rawRead(1000, 2, 2);
    const after = (await api.meters()).find((m) => m.id === "m2")?.stats.requests ?? 0;
    expect(after).toBe(before + 1);
  });
});
