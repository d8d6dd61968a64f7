// The simulator over Modbus TCP, against modbus-serial's client and raw sockets.
import ModbusMod from "modbus-serial";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeRegister } from "../../engine/decode/index.js";
import type { ResolvedRegister } from "../../engine/model.js";
import { encodeMbap } from "../../engine/sim/mbap.js";
import { Simulator, SimulatorConfigError } from "../../engine/sim/simulator.js";
import { freePort } from "../helpers/free-port.js";
import { mp440, meter, sdm630, tcpSite } from "./fixtures.js";
import { RawTcpClient } from "./raw-client.js";

const ModbusRTU = ModbusMod.default;
type Client = InstanceType<typeof ModbusRTU>;

const T0 = Date.UTC(2026, 11, 4, 12);
const profileA = mp440();
const profileB = sdm630();
// m1 and m2 share one host:port (a TCP gateway in front of two meters); m3 has a port of its own.
let sim: Simulator;
let shared: number;
let own: number;

beforeAll(async () => {
  sim = new Simulator({
    site: tcpSite([
      meter("m1", profileA, 1, { host: "127.0.0.1", port: 0 }),
      meter("m3", profileB, 1, { host: "localhost", port: 0 }),
      meter("off", profileA, 9, { host: "127.0.0.1", port: 0, enabled: false }),
    ]),
    seed: 3,
    now: () => T0,
  });
  await sim.start();
  const first = sim.endpoint("m1");
  shared = first.transport === "tcp" ? first.port : 0;
  const third = sim.endpoint("m3");
  own = third.transport === "tcp" ? third.port : 0;
});

afterAll(async () => {
  await sim.stop();
});

async function client(port: number, unitId = 1): Promise<Client> {
  const c = new ModbusRTU();
  await c.connectTCP("127.0.0.1", { port });
  c.setID(unitId);
  c.setTimeout(400);
  return c;
}

function close(c: Client): Promise<void> {
  return new Promise((resolve) => c.close(() => resolve()));
}

const reg = (q: string, profile = profileA): ResolvedRegister =>
  profile.registers.find((r) => r.quantity === q) as ResolvedRegister;

describe("Simulator over TCP", () => {
  it("serves each meter on its own port, skips disabled meters", () => {
    expect(shared).toBeGreaterThan(0);
    expect(own).toBeGreaterThan(0);
    expect(own).not.toBe(shared);
    expect(sim.meters().map((m) => m.id)).toEqual(["m1", "m3"]);
    const site = sim.siteForClients();
    expect(site.meters.find((m) => m.id === "m1")?.port).toBe(shared);
  });

  it("answers FC03 and FC04 with the values the simulator holds", async () => {
    const c1 = await client(shared);
    const block = await c1.readHoldingRegisters(1000, 36);
    const truth = sim.meter("m1").values();
    const voltage = decodeRegister(reg("voltage_l2"), block.data.slice(12, 14));
    expect(voltage.value).toBeCloseTo(truth.voltage_l2 as number, 3);
    const power = decodeRegister(reg("active_power_total"), block.data.slice(34, 36));
    expect(power.value).toBeCloseTo(truth.active_power_total as number, 1);
    await close(c1);

    const c3 = await client(own);
    const input = await c3.readInputRegisters(0, 6);
    expect(decodeRegister(reg("voltage_l3", profileB), input.data.slice(4, 6)).value).toBeCloseTo(
      sim.meter("m3").values().voltage_l3 as number,
      3,
    );
    await close(c3);
  });

  it("answers exceptions 02 and 03 that a client sees as Modbus errors", async () => {
    const c = await client(shared);
    await expect(c.readHoldingRegisters(3000, 2)).rejects.toMatchObject({ modbusCode: 2 });
    await expect(c.readInputRegisters(1000, 2)).rejects.toMatchObject({ modbusCode: 2 });
    await close(c);
    const c3 = await client(own);
    await expect(c3.readInputRegisters(12, 4)).rejects.toMatchObject({ modbusCode: 2 }); // hole 14–15
    await close(c3);
  });

  it("reassembles a request sent in pieces and answers two requests sent in one segment", async () => {
    const raw = await RawTcpClient.open(shared);
    const request = encodeMbap(0x0101, 1, Buffer.from([0x03, 0x03, 0xe8, 0x00, 0x02]));
    raw.write(request.subarray(0, 3));
    await new Promise((r) => setTimeout(r, 30));
    raw.write(request.subarray(3));
    const first = await raw.read(13);
    expect(first.subarray(0, 9)).toEqual(Buffer.from([0x01, 0x01, 0, 0, 0, 7, 1, 0x03, 4]));

    const a = encodeMbap(7, 1, Buffer.from([0x03, 0x03, 0xf2, 0x00, 0x02]));
    const b = encodeMbap(8, 1, Buffer.from([0x03, 0x0b, 0xb8, 0x00, 0x02]));
    raw.write(Buffer.concat([a, b]));
    const replies = await raw.read(13 + 9);
    expect(replies.readUInt16BE(0)).toBe(7);
    expect(replies.subarray(13)).toEqual(Buffer.from([0, 8, 0, 0, 0, 3, 1, 0x83, 0x02]));
    raw.close();
  });

  it("ignores unknown unit ids and closes the connection on a non-Modbus header", async () => {
    const raw = await RawTcpClient.open(shared);
    raw.write(encodeMbap(1, 42, Buffer.from([0x03, 0x03, 0xe8, 0x00, 0x02])));
    expect((await raw.read(9, 300)).length).toBe(0);
    raw.write(Buffer.from([0, 1, 0, 9, 0, 6, 1, 3, 0, 0, 0, 1]));
    expect(await raw.waitClosed()).toBe(true);
  });

  it("refuses a site whose TCP meters are on another machine or share a unit id", () => {
    expect(
      () =>
        new Simulator({ site: tcpSite([meter("far", profileA, 1, { host: "192.168.1.55", port: 502 })]) }),
    ).toThrow(SimulatorConfigError);
    expect(
      () =>
        new Simulator({
          site: tcpSite([
            meter("a", profileA, 1, { host: "127.0.0.1", port: 15020 }),
            meter("b", profileA, 1, { host: "127.0.0.1", port: 15020 }),
          ]),
        }),
    ).toThrow(/both use unit id 1/);
  });
});

describe("several unit ids on one host:port", () => {
  it("answers each unit with its own meter", async () => {
    const port = await freePort();
    const shared2 = new Simulator({
      site: tcpSite([
        meter("a", profileA, 1, { host: "127.0.0.1", port }),
        meter("b", profileA, 2, { host: "127.0.0.1", port }),
      ]),
      seed: 5,
      now: () => T0,
    });
    await shared2.start();
    try {
      const c = await client(port, 1);
      const a = await c.readHoldingRegisters(1010, 2);
      c.setID(2);
      const b = await c.readHoldingRegisters(1010, 2);
      expect(decodeRegister(reg("voltage_l1"), a.data).value).toBeCloseTo(
        shared2.meter("a").values().voltage_l1 as number,
        3,
      );
      expect(decodeRegister(reg("voltage_l1"), b.data).value).toBeCloseTo(
        shared2.meter("b").values().voltage_l1 as number,
        3,
      );
      expect(a.data).not.toEqual(b.data);
      await close(c);
    } finally {
      await shared2.stop();
    }
  });
});
