// The bus-time budget: how long one cycle of each poll class takes on the wire, from the site's
// transport settings and each meter's read plan. Pure arithmetic; the same wire-time module drives
// the simulator's emulation, so the estimate and the emulated bus agree by construction.
import type { ResolvedRtuTransport, ResolvedSite } from "../model.js";
import { planMeter, pollClassesOf } from "../plan/index.js";
import { frameSilenceMs, frameTimeMs, RTU_READ_REQUEST_BYTES, rtuReadReplyBytes } from "../sim/wire-time.js";

export interface BusTimeOptions {
  /**
   * RTU: time a meter takes from the end of a request to the start of its answer. A meter must wait for
   * the 3.5-character silence that ends the request before it can answer, so that is the least it takes.
   * @default frameSilenceMs(serial) (3.5 character times, 1.75 ms above 19200 baud)
   */
  meterResponseMs?: number;
  /**
   * RTU: the gateway's own time per transaction beyond the wire and the configured delays: timers that fire
   * late by a millisecond or so, the event loop, the serial driver. (A USB adapter with a latency timer adds
   * more: see docs/troubleshooting.md.)
   * @default 2
   */
  hostOverheadMs?: number;
  /**
   * TCP: round trip of one request to a Modbus TCP meter or gateway (network and the device's think time).
   * @default 20
   */
  tcpRoundTripMs?: number;
  /** Interval of a poll class the site does not define (as the poller does). @default 60000 */
  defaultIntervalMs?: number;
}

/** One poll class on one bus (an RS485 port, or a TCP host:port). */
export interface ClassBudget {
  pollClass: string;
  intervalMs: number;
  /** Enabled meters on this bus that read this class. */
  meters: number;
  /** Read blocks (transactions) of one cycle, over all those meters. */
  blocks: number;
  /** The number of blocks each meter reads, when every meter reads the same number; else undefined. */
  blocksPerMeter: number | undefined;
  /** Registers of one cycle, over all meters. */
  registers: number;
  /** Estimated time of one cycle (every meter's blocks of this class, one after another). */
  cycleMs: number;
  /** cycleMs / intervalMs: the share of the bus this class takes. */
  load: number;
}

export interface BusBudget {
  /** The serial device, or host:port. */
  bus: string;
  kind: "rtu" | "tcp";
  /** Enabled meters on this bus. */
  meters: number;
  /** RTU only: "9600 8N1". */
  line?: string;
  classes: ClassBudget[];
  /** Sum of the classes' loads: above 1 the bus cannot keep every interval. */
  load: number;
}

export interface BusTimeEstimate {
  buses: BusBudget[];
}

/** "9600 8N1" */
export function describeLine(
  t: Pick<ResolvedRtuTransport, "baudRate" | "dataBits" | "parity" | "stopBits">,
): string {
  const parity = t.parity === "none" ? "N" : t.parity === "even" ? "E" : "O";
  return `${t.baudRate} ${t.dataBits}${parity}${t.stopBits}`;
}

/**
 * Bus time of one RTU read of `count` registers, request to request: the request on the wire, the
 * meter's response time, the answer on the wire, then the pause the gateway keeps before its next request
 * (the longer of turnaroundDelay and interFrameDelay, as engine/transport/rtu.ts waits), and the gateway's
 * own overhead.
 */
export function rtuTransactionMs(
  count: number,
  transport: Pick<
    ResolvedRtuTransport,
    "baudRate" | "dataBits" | "parity" | "stopBits" | "turnaroundDelayMs" | "interFrameDelayMs"
  >,
  meterResponseMs: number = frameSilenceMs(transport),
  hostOverheadMs = 2,
): number {
  return (
    hostOverheadMs +
    frameTimeMs(RTU_READ_REQUEST_BYTES, transport) +
    meterResponseMs +
    frameTimeMs(rtuReadReplyBytes(count), transport) +
    Math.max(transport.turnaroundDelayMs, transport.interFrameDelayMs)
  );
}

interface Lane {
  bus: string;
  meters: ResolvedSite["meters"];
}

/** The buses of a site as the poller forms them: one RTU port, or one lane per TCP host:port. */
function lanesOf(site: Pick<ResolvedSite, "transport" | "meters">): Lane[] {
  const enabled = site.meters.filter((m) => m.enabled);
  if (site.transport.type === "rtu")
    return enabled.length === 0 ? [] : [{ bus: site.transport.port, meters: enabled }];
  const lanes = new Map<string, Lane>();
  for (const meter of enabled) {
    const bus = `${meter.host ?? "?"}:${meter.port ?? 502}`;
    const lane = lanes.get(bus);
    if (lane) lane.meters.push(meter);
    else lanes.set(bus, { bus, meters: [meter] });
  }
  return [...lanes.values()];
}

/** Estimates each poll class's cycle time on each bus of a site (no retries: a healthy bus). */
export function estimateBusTime(
  site: Pick<ResolvedSite, "transport" | "meters" | "pollClasses">,
  options: BusTimeOptions = {},
): BusTimeEstimate {
  const transport = site.transport;
  const transactionMs =
    transport.type === "rtu"
      ? (count: number): number =>
          rtuTransactionMs(count, transport, options.meterResponseMs, options.hostOverheadMs)
      : (): number => options.tcpRoundTripMs ?? 20;
  const buses = lanesOf(site).map((lane): BusBudget => {
    const byClass = new Map<
      string,
      { meters: Set<string>; perMeter: number[]; blocks: number; registers: number; cycleMs: number }
    >();
    for (const meter of lane.meters) {
      for (const pollClass of pollClassesOf(meter.profile)) {
        const blocks = planMeter(meter.profile, pollClass);
        let entry = byClass.get(pollClass);
        if (!entry) {
          entry = { meters: new Set(), perMeter: [], blocks: 0, registers: 0, cycleMs: 0 };
          byClass.set(pollClass, entry);
        }
        entry.meters.add(meter.id);
        entry.perMeter.push(blocks.length);
        for (const block of blocks) {
          entry.blocks++;
          entry.registers += block.count;
          entry.cycleMs += transactionMs(block.count);
        }
      }
    }
    const classes = [...byClass].map(([pollClass, e]): ClassBudget => {
      const intervalMs = site.pollClasses[pollClass]?.intervalMs ?? options.defaultIntervalMs ?? 60_000;
      const same = e.perMeter.every((n) => n === e.perMeter[0]);
      return {
        pollClass,
        intervalMs,
        meters: e.meters.size,
        blocks: e.blocks,
        blocksPerMeter: same ? e.perMeter[0] : undefined,
        registers: e.registers,
        cycleMs: e.cycleMs,
        load: e.cycleMs / intervalMs,
      };
    });
    classes.sort((a, b) => a.intervalMs - b.intervalMs || a.pollClass.localeCompare(b.pollClass));
    const budget: BusBudget = {
      bus: lane.bus,
      kind: transport.type,
      meters: lane.meters.length,
      classes,
      load: classes.reduce((sum, c) => sum + c.load, 0),
    };
    if (transport.type === "rtu") budget.line = describeLine(transport);
    return budget;
  });
  return { buses };
}
