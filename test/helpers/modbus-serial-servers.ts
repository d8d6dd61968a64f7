// modbus-serial's own servers (TCP, and RTU on a pty), an independent peer for the engine's transports.
import ModbusMod from "modbus-serial";
import type { IServiceVector } from "modbus-serial/ServerTCP.js";
import type { RegisterMap } from "./register-map.js";
import { freePort, waitForPort } from "./free-port.js";

const { ServerTCP, ServerSerial } = ModbusMod;

/** Answers from the map; an address that is not in it throws, which modbus-serial answers with an exception. */
function vector(map: RegisterMap): IServiceVector {
  const get =
    (table: "holding" | "input") =>
    (address: number, unitId: number): number => {
      const value = map[unitId]?.[table]?.[address];
      if (value === undefined) throw new Error(`no ${table} register ${address} on unit ${unitId}`);
      return value;
    };
  return {
    getHoldingRegister: get("holding"),
    getInputRegister: get("input"),
    setRegister: (address: number, value: number, unitId: number) => {
      const unit = (map[unitId] ??= {});
      (unit.holding ??= {})[address] = value;
    },
  };
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** modbus-serial ServerTCP on 127.0.0.1, answering every unit id the map holds (others get no answer). */
export async function startModbusSerialTcp(map: RegisterMap): Promise<RunningServer> {
  const port = await freePort();
  const known = new Set(Object.keys(map).map(Number));
  const base = vector(map);
  const guarded: IServiceVector = {
    ...base,
    getHoldingRegister: (address: number, unitId: number) => {
      if (!known.has(unitId)) return new Promise<number>(() => undefined);
      return (base.getHoldingRegister as (a: number, u: number) => number)(address, unitId);
    },
  };
  const server = new ServerTCP(guarded, { host: "127.0.0.1", port, unitID: 255 });
  server.on("socketError", () => undefined);
  await waitForPort(port);
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** modbus-serial ServerSerial on one end of a pty pair. `interval` is its inter-byte silence that ends a frame. */
export async function startModbusSerialRtu(
  path: string,
  map: RegisterMap,
  unitId: number,
  interval = 4,
): Promise<{ close(): Promise<void> }> {
  const server = await new Promise<InstanceType<typeof ServerSerial>>((resolve, reject) => {
    const s: InstanceType<typeof ServerSerial> = new ServerSerial(vector(map), {
      path,
      baudRate: 9600,
      unitID: unitId,
      interval,
      openCallback: (error) => (error ? reject(error) : resolve(s)),
    } as ConstructorParameters<typeof ServerSerial>[1]);
  });
  server.on("error", () => undefined);
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
