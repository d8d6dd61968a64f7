// The simulator of a whole site: one SimulatedMeter per enabled meter, served over Modbus TCP
// (meters sharing a host:port share one server) or on the site's RS485 bus (one RTU server).
import type { ResolvedMeter, ResolvedSite } from "../model.js";
import type { SimEvent, SimEventListener } from "./events.js";
import { SimRtuServer } from "./rtu-server.js";
import { SimulatedMeter } from "./simulated-meter.js";
import { isLoopbackHost, SimTcpServer } from "./tcp-server.js";

export interface SimulatorOptions {
  site: ResolvedSite;
  /** Same seed, same values. @default 1 */
  seed?: number;
  /** RTU: emulate the time frames spend on the wire at the bus's baud rate. @default true */
  wireTime?: boolean;
  /** RTU: the meters' think time between request and reply. @default 3.5 character times */
  turnaroundMs?: number;
  /** RTU: serial device to serve instead of the site's transport.port (e.g. one end of a pty pair). */
  rtuPort?: string;
  /** Clock in epoch ms. @default Date.now */
  now?: () => number;
  /** Length of the load's daily cycle; shorten it for a lively demo. @default 86_400_000 */
  dayLengthMs?: number;
  onEvent?: SimEventListener;
}

/** Where one meter answers. */
export type SimEndpoint =
  | { meterId: string; unitId: number; transport: "tcp"; host: string; port: number }
  | {
      meterId: string;
      unitId: number;
      transport: "rtu";
      path: string;
      baudRate: number;
      parity: "none" | "even" | "odd";
      dataBits: number;
      stopBits: number;
    };

/** The site cannot be simulated as written (e.g. a TCP meter on another machine). */
export class SimulatorConfigError extends Error {
  override name = "SimulatorConfigError" as const;
  readonly code = "SIM_E_CONFIG";
}

/** No simulated meter has this id. */
export class UnknownMeterError extends Error {
  override name = "UnknownMeterError" as const;
  readonly code = "SIM_E_UNKNOWN_METER";
}

interface TcpGroup {
  host: string;
  port: number;
  meters: SimulatedMeter[];
  server?: SimTcpServer;
}

export class Simulator {
  readonly site: ResolvedSite;
  private readonly byId = new Map<string, SimulatedMeter>();
  private readonly tcpGroups: TcpGroup[] = [];
  private rtu: SimRtuServer | undefined;
  private started = false;
  private readonly listeners = new Set<SimEventListener>();

  constructor(private readonly options: SimulatorOptions) {
    this.site = options.site;
    if (options.onEvent !== undefined) this.listeners.add(options.onEvent);
    const enabled = options.site.meters.filter((m) => m.enabled);
    for (const meter of enabled) {
      if (this.byId.has(meter.id)) throw new SimulatorConfigError(`meter id "${meter.id}" appears twice`);
      this.byId.set(
        meter.id,
        new SimulatedMeter({
          id: meter.id,
          profile: meter.profile,
          unitId: meter.unitId,
          seed: options.seed ?? 1,
          ...(meter.serialNumber === undefined ? {} : { serialNumber: meter.serialNumber }),
          ...(options.now === undefined ? {} : { now: options.now }),
          ...(options.dayLengthMs === undefined ? {} : { dayLengthMs: options.dayLengthMs }),
        }),
      );
    }
    if (options.site.transport.type === "tcp") this.groupTcp(enabled);
    else checkUniqueUnits(enabled, `the RS485 bus ${options.rtuPort ?? options.site.transport.port}`);
  }

  private groupTcp(meters: ResolvedMeter[]): void {
    for (const meter of meters) {
      const host = meter.host ?? "127.0.0.1";
      if (!isLoopbackHost(host)) {
        throw new SimulatorConfigError(
          `meter "${meter.id}": host ${host} is not this machine; the simulator only serves 127.0.0.1 or localhost`,
        );
      }
      const port = meter.port ?? meter.profile.defaults.tcpPort;
      const normalised = host === "localhost" ? "127.0.0.1" : host;
      const simulated = this.meter(meter.id);
      // Port 0 asks for a free port: such a meter gets a server of its own.
      const group =
        port === 0 ? undefined : this.tcpGroups.find((g) => g.host === normalised && g.port === port);
      if (group === undefined) this.tcpGroups.push({ host: normalised, port, meters: [simulated] });
      else group.meters.push(simulated);
    }
    for (const group of this.tcpGroups) {
      checkUniqueUnits(
        group.meters.map((m) => ({ id: m.id, unitId: m.unitId })),
        `${group.host}:${group.port}`,
      );
    }
  }

  /** Adds a listener for request, connection and error events. */
  onEvent(listener: SimEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit = (event: SimEvent): void => {
    for (const listener of this.listeners) listener(event);
  };

  /** Every simulated (enabled) meter, in site order. */
  meters(): SimulatedMeter[] {
    return [...this.byId.values()];
  }

  /** The simulated meter with this id; throws UnknownMeterError. */
  meter(id: string): SimulatedMeter {
    const meter = this.byId.get(id);
    if (meter === undefined) {
      throw new UnknownMeterError(`no simulated meter "${id}" (known: ${[...this.byId.keys()].join(", ")})`);
    }
    return meter;
  }

  /** Opens the servers; resolves with where each meter answers. On failure nothing stays open. */
  async start(): Promise<SimEndpoint[]> {
    if (this.started) return this.endpoints();
    try {
      if (this.site.transport.type === "tcp") {
        for (const group of this.tcpGroups) {
          group.server = new SimTcpServer({
            host: group.host,
            port: group.port,
            meters: group.meters,
            onEvent: this.emit,
          });
          await group.server.listen();
        }
      } else if (this.byId.size > 0) {
        const t = this.site.transport;
        this.rtu = new SimRtuServer({
          path: this.options.rtuPort ?? t.port,
          serial: { baudRate: t.baudRate, parity: t.parity, dataBits: t.dataBits, stopBits: t.stopBits },
          meters: this.meters(),
          ...(this.options.wireTime === undefined ? {} : { wireTime: this.options.wireTime }),
          ...(this.options.turnaroundMs === undefined ? {} : { turnaroundMs: this.options.turnaroundMs }),
          onEvent: this.emit,
        });
        await this.rtu.open();
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.started = true;
    return this.endpoints();
  }

  /** Where each meter answers (TCP ports are the bound ones once started). */
  endpoints(): SimEndpoint[] {
    const t = this.site.transport;
    if (t.type === "rtu") {
      const path = this.rtu?.path ?? this.options.rtuPort ?? t.port;
      return this.meters().map((m) => ({
        meterId: m.id,
        unitId: m.unitId,
        transport: "rtu",
        path,
        baudRate: t.baudRate,
        parity: t.parity,
        dataBits: t.dataBits,
        stopBits: t.stopBits,
      }));
    }
    return this.tcpGroups.flatMap((g) => {
      const port = g.server?.address().port ?? g.port;
      return g.meters.map((m) => ({
        meterId: m.id,
        unitId: m.unitId,
        transport: "tcp" as const,
        host: g.host,
        port,
      }));
    });
  }

  /** The endpoint of one meter. */
  endpoint(id: string): SimEndpoint {
    const endpoint = this.endpoints().find((e) => e.meterId === id);
    if (endpoint === undefined) throw new UnknownMeterError(`no simulated meter "${id}"`);
    return endpoint;
  }

  /**
   * The site with every TCP meter's port replaced by the port actually bound (for sites written
   * with port 0), and an RTU site's port replaced by rtuPort: what a poller must be given.
   */
  siteForClients(clientRtuPort?: string): ResolvedSite {
    const t = this.site.transport;
    if (t.type === "rtu") {
      return { ...this.site, transport: { ...t, port: clientRtuPort ?? this.options.rtuPort ?? t.port } };
    }
    const ports = new Map(
      this.endpoints().map((e) => [e.meterId, e.transport === "tcp" ? e.port : undefined]),
    );
    return {
      ...this.site,
      meters: this.site.meters.map((m) => {
        const port = ports.get(m.id);
        return port === undefined ? m : { ...m, port };
      }),
    };
  }

  /** Closes every server. Safe to call twice. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.tcpGroups.map((g) => g.server?.close()));
    for (const group of this.tcpGroups) delete group.server;
    await this.rtu?.close();
    this.rtu = undefined;
  }
}

function checkUniqueUnits(meters: { id: string; unitId: number }[], where: string): void {
  const seen = new Map<number, string>();
  for (const meter of meters) {
    const other = seen.get(meter.unitId);
    if (other !== undefined) {
      throw new SimulatorConfigError(
        `meters "${other}" and "${meter.id}" both use unit id ${meter.unitId} on ${where}`,
      );
    }
    seen.set(meter.unitId, meter.id);
  }
}
