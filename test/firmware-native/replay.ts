// The engine's side of the payload comparison. The native firmware logs every Modbus read it makes
// (AMPX_READ_LOG: time, block, result, the raw register words). Replaying those words through the
// TypeScript engine — engine/plan's blocks, engine/decode, engine/aggregate's rules and
// engine/upload's renderInterval with the site's handlebars template — gives the payloads the
// engine would upload for the very same meter answers. Only the raw words are shared; decode,
// aggregation and rendering run independently on each side.
//
// The replay follows the firmware's documented interval rules, and checks them on the way: an
// interval opens when the process starts (part-way through); it closes (the log says when) once the
// wall clock has passed its end, and every read in between is stamped inside it; a restart loses the
// interval that was open (its samples lived in RAM), as do the identity values read before it.
import { readFileSync } from "node:fs";
import { createAccumulator, accumulate, finishAggregate } from "../../engine/aggregate/rules.js";
import type { Accumulator } from "../../engine/aggregate/rules.js";
import { aggregatePlan } from "../../engine/aggregate/plan.js";
import { decodeRegister } from "../../engine/decode/index.js";
import type { IntervalAggregate, ResolvedSite } from "../../engine/model.js";
import { planMeter } from "../../engine/plan/index.js";
import type { Block } from "../../engine/plan/index.js";
import { compilePayloadTemplate, renderInterval } from "../../engine/upload/render.js";
import type { RenderedPayload } from "../../engine/upload/index.js";

export interface ReadLine {
  t: number;
  meter: string;
  block: number;
  function: 3 | 4;
  start: number;
  count: number;
  attempt: number;
  result: string;
  words: number[];
}
export type LogLine = ReadLine | { boot: number } | { closed: number };

export function readLog(file: string): LogLine[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as LogLine);
}

export const isRead = (line: LogLine): line is ReadLine => "meter" in line;

interface ClosedReplay {
  start: number;
  end: number;
  aggregates: IntervalAggregate[];
  identities: Map<string, number | string | null>;
}

/** Replays a read log through the engine; returns the closed intervals by start. */
export function replayIntervals(site: ResolvedSite, lines: readonly LogLine[]): Map<number, ClosedReplay> {
  const length = site.upload?.intervalMs ?? 900_000;
  const plan = aggregatePlan(site);
  const blocks = new Map<string, Block[]>(site.meters.map((m) => [m.id, planMeter(m.profile)]));
  const closed = new Map<number, ClosedReplay>();
  let open: { start: number; accs: Map<string, Accumulator> } | undefined;
  let identities = new Map<string, number | string | null>();
  const startOf = (t: number) => Math.floor(t / length) * length;

  const close = () => {
    if (!open) return;
    const { start, accs } = open;
    const aggregates = plan.map((p) =>
      finishAggregate(
        accs.get(`${p.meterId}/${p.quantity}`) ?? createAccumulator({ ...p, start, end: start + length }),
      ),
    );
    closed.set(start, { start, end: start + length, aggregates, identities: new Map(identities) });
  };

  for (const line of lines) {
    if ("boot" in line) {
      open = { start: startOf(line.boot), accs: new Map() };
      identities = new Map();
      continue;
    }
    if ("closed" in line) {
      if (line.closed !== open?.start) throw new Error(`closed ${line.closed}, but ${open?.start} is open`);
      close();
      // The firmware steps at least once a second, so the next interval is the one right after.
      open = { start: open.start + length, accs: new Map() };
      continue;
    }
    if (!open || line.t < open.start || line.t >= open.start + length) {
      throw new Error(`a read stamped ${line.t} outside the open interval ${open?.start}`);
    }
    if (line.result !== "ok") continue;
    const fn = line.function === 4 ? "input" : "holding";
    const block = blocks
      .get(line.meter)
      ?.find((b) => b.function === fn && b.start === line.start && b.count === line.count);
    if (!block)
      throw new Error(`the engine plans no block ${fn} ${line.start}+${line.count} for ${line.meter}`);
    for (const reg of block.registers) {
      const from = reg.address - block.start;
      const { value, quality } = decodeRegister(reg, line.words.slice(from, from + reg.count));
      if (reg.kind === "identity") {
        identities.set(`${line.meter}/${reg.quantity}`, value);
        continue;
      }
      const key = `${line.meter}/${reg.quantity}`;
      let acc = open.accs.get(key);
      if (!acc) {
        const p = plan.find((q) => q.meterId === line.meter && q.quantity === reg.quantity);
        if (!p) continue;
        acc = createAccumulator({ ...p, start: open.start, end: open.start + length });
        open.accs.set(key, acc);
      }
      accumulate(acc, { value, quality });
    }
  }
  return closed;
}

/** What the engine uploads for one replayed interval (serial numbers as serialFromStore gives them). */
export function enginePayloads(site: ResolvedSite, interval: ClosedReplay): RenderedPayload[] {
  const template = compilePayloadTemplate(site.upload!.templateFile);
  return renderInterval(site, template, interval, (meterId) => {
    const configured = site.meters.find((m) => m.id === meterId)?.serialNumber;
    if (configured !== undefined) return configured;
    const read = interval.identities.get(`${meterId}/serial_number`);
    return read === undefined || read === null ? null : String(read);
  });
}

/** Every payload the engine renders for the intervals the firmware closed, by idempotency key. */
export function enginePayloadsByKey(
  site: ResolvedSite,
  lines: readonly LogLine[],
): Map<string, RenderedPayload> {
  const out = new Map<string, RenderedPayload>();
  for (const interval of replayIntervals(site, lines).values()) {
    for (const payload of enginePayloads(site, interval)) out.set(payload.key, payload);
  }
  return out;
}
