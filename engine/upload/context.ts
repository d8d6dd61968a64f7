// The data a payload template sees (documented in docs/payload.md, "Template context").
import type { IntervalAggregate, ResolvedMeter, ResolvedSite } from "../model.js";

export interface QuantityView {
  name: string;
  kind: "instantaneous" | "counter";
  unit: string;
  count: number;
  badCount: number;
  coverage: number;
  quality: "good" | "partial" | "missing";
  avg?: number;
  min?: number;
  max?: number;
  first?: number;
  last?: number;
  delta?: number;
  reset?: boolean;
}

export interface MeterView {
  id: string;
  name: string;
  unitId: number;
  profile: string;
  serial: string | null;
  instantaneous: QuantityView[];
  counters: QuantityView[];
  /** Every quantity by name, for templates that pick fixed fields (meter.q.voltage_l1.avg). */
  q: Record<string, QuantityView>;
}

/** One flat record per meter and quantity; value is avg (instantaneous) or delta (counter). */
export interface RecordView extends QuantityView {
  meterId: string;
  meterName: string;
  value?: number;
}

export interface TemplateContext {
  site: { id: string; name: string; timezone: string };
  interval: { start: number; end: number; lengthSeconds: number };
  idempotencyKey: string;
  variables: Record<string, string | number | boolean>;
  meters: MeterView[];
  /** Mode meter only: the one meter of this request. */
  meter?: MeterView;
  records: RecordView[];
}

export function meterView(
  meter: ResolvedMeter,
  aggregates: readonly IntervalAggregate[],
  serial: string | null,
): MeterView {
  const view: MeterView = {
    id: meter.id,
    name: meter.name,
    unitId: meter.unitId,
    profile: meter.profile.id,
    serial,
    instantaneous: [],
    counters: [],
    q: {},
  };
  for (const a of aggregates) {
    if (a.meterId !== meter.id) continue;
    const q: QuantityView = {
      name: a.quantity,
      kind: a.kind,
      unit: a.unit,
      count: a.count,
      badCount: a.badCount,
      coverage: a.coverage,
      quality: a.quality,
      avg: a.avg,
      min: a.min,
      max: a.max,
      first: a.first,
      last: a.last,
      delta: a.delta,
      reset: a.reset,
    };
    (a.kind === "counter" ? view.counters : view.instantaneous).push(q);
    view.q[a.quantity] = q;
  }
  return view;
}

export function templateContext(
  site: ResolvedSite,
  interval: { start: number; end: number },
  key: string,
  meters: MeterView[],
  mode: "site" | "meter",
): TemplateContext {
  const records: RecordView[] = meters.flatMap((m) =>
    [...m.instantaneous, ...m.counters].map((q) => ({
      ...q,
      meterId: m.id,
      meterName: m.name,
      value: q.kind === "counter" ? q.delta : q.avg,
    })),
  );
  const context: TemplateContext = {
    site: { id: site.id, name: site.name, timezone: site.timezone },
    interval: {
      start: interval.start,
      end: interval.end,
      lengthSeconds: (interval.end - interval.start) / 1000,
    },
    idempotencyKey: key,
    variables: { ...(site.upload?.variables ?? {}) },
    meters,
    records,
  };
  if (mode === "meter") context.meter = meters[0];
  return context;
}
