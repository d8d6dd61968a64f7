// Transports for a site: one RTU bus, or one TCP connection per host:port shared by the unit ids behind it.
import type { ResolvedMeter, ResolvedSite, ResolvedTransport } from "../model.js";
import { RtuTransport } from "./rtu.js";
import { TcpTransport } from "./tcp.js";
import type { Transport } from "./transport.js";

export type { Transport, AttemptEvent, AttemptListener } from "./transport.js";
export { RtuTransport, bitsPerCharacter } from "./rtu.js";
export type { RtuTransportOptions } from "./rtu.js";
export { TcpTransport, reconnectDelay } from "./tcp.js";
export type { TcpTransportOptions } from "./tcp.js";
export { isRetryable } from "./base-transport.js";
export * from "./errors/index.js";

/** The transports of one site, created on demand and shared by the meters that use the same bus or host:port. */
export class TransportSet {
  private readonly byKey = new Map<string, Transport>();

  constructor(private readonly transport: ResolvedTransport) {}

  static forSite(site: Pick<ResolvedSite, "transport">): TransportSet {
    return new TransportSet(site.transport);
  }

  /** The key of the transport a meter uses: the serial device, or host:port. */
  keyOf(meter: Pick<ResolvedMeter, "host" | "port" | "id">): string {
    if (this.transport.type === "rtu") return this.transport.port;
    if (!meter.host) throw new TypeError(`meter ${meter.id} has no host for Modbus TCP`);
    return `${meter.host}:${meter.port ?? 502}`;
  }

  forMeter(meter: Pick<ResolvedMeter, "host" | "port" | "id">): Transport {
    const key = this.keyOf(meter);
    let transport = this.byKey.get(key);
    if (!transport) {
      transport =
        this.transport.type === "rtu"
          ? new RtuTransport(this.transport)
          : new TcpTransport({ ...this.transport, host: meter.host!, port: meter.port ?? 502 });
      this.byKey.set(key, transport);
    }
    return transport;
  }

  all(): Transport[] {
    return [...this.byKey.values()];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((transport) => transport.close()));
    this.byKey.clear();
  }
}
