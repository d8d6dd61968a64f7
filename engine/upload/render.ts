// Renders closed intervals into outbox entries with the site's handlebars template, and proves every
// rendered payload is JSON before it reaches the outbox.
import { readFileSync } from "node:fs";
import type { IntervalAggregate, ResolvedSite } from "../model.js";
import type { NewOutboxEntry } from "../store/index.js";
import type { OutboxBuilder } from "../aggregate/index.js";
import { aggregatePlan } from "../aggregate/plan.js";
import { templateContext, meterView } from "./context.js";
import type { TemplateContext } from "./context.js";
import { PayloadTemplateError } from "./errors.js";
import { payloadCompileOptions, payloadHandlebars } from "./helpers.js";
import { idempotencyKey } from "./idempotency.js";
import { firstJsonErrorOffset } from "./json-position.js";

export interface RenderedPayload {
  key: string;
  meterId: string | null;
  intervalStart: number;
  body: string;
}

export type PayloadTemplate = (context: TemplateContext) => string;

/** Reads and compiles a .json.hbs file; syntax errors and unknown helpers are PayloadTemplateErrors. */
export function compilePayloadTemplate(file: string): PayloadTemplate {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new PayloadTemplateError("PAYLOAD_E_TEMPLATE_READ", `cannot read payload template ${file}`, file, {
      cause: error,
    });
  }
  const hb = payloadHandlebars();
  let compiled: HandlebarsTemplateDelegate;
  try {
    // precompile parses and checks helpers now instead of at the first render 15 minutes later.
    hb.precompile(text, payloadCompileOptions);
    compiled = hb.compile(text, payloadCompileOptions);
  } catch (error) {
    throw new PayloadTemplateError(
      "PAYLOAD_E_TEMPLATE_SYNTAX",
      `payload template ${file} does not compile: ${(error as Error).message}`,
      file,
      { cause: error },
    );
  }
  return (context) => {
    try {
      return compiled(context);
    } catch (error) {
      throw new PayloadTemplateError(
        "PAYLOAD_E_RENDER",
        `payload template ${file} failed to render: ${(error as Error).message}`,
        file,
        { cause: error },
      );
    }
  };
}

/** Throws PAYLOAD_E_NOT_JSON with the line, column and an excerpt of the rendered text. */
export function assertJson(body: string, file: string): void {
  try {
    JSON.parse(body);
  } catch (error) {
    const position = firstJsonErrorOffset(body);
    let where = ` (${(error as Error).message.split("\n")[0]})`;
    if (position >= 0) {
      const before = body.slice(0, position);
      const line = before.split("\n").length;
      const column = position - before.lastIndexOf("\n");
      const text = body.split("\n")[line - 1] ?? "";
      const found = position < body.length ? JSON.stringify(body[position]) : "the end";
      where = `: unexpected ${found} at rendered line ${line} column ${column}:\n  ${text}\n  ${" ".repeat(Math.max(0, column - 1))}^`;
    }
    throw new PayloadTemplateError(
      "PAYLOAD_E_NOT_JSON",
      `payload template ${file} did not render valid JSON${where}`,
      file,
      { cause: error },
    );
  }
}

/** The payloads of one interval: one (mode site) or one per enabled meter (mode meter), in site order. */
export function renderInterval(
  site: ResolvedSite,
  template: PayloadTemplate,
  interval: { start: number; end: number; aggregates: readonly IntervalAggregate[] },
  serialOf: (meterId: string) => string | null,
): RenderedPayload[] {
  const upload = site.upload;
  if (!upload) return [];
  const meters = site.meters
    .filter((m) => m.enabled)
    .map((m) => meterView(m, interval.aggregates, serialOf(m.id)));
  const groups =
    upload.mode === "meter"
      ? meters.map((m) => ({ meterId: m.id as string | null, meters: [m] }))
      : [{ meterId: null, meters }];
  return groups.map(({ meterId, meters: group }) => {
    const key = idempotencyKey(site.id, meterId, interval.start);
    const body = template(templateContext(site, interval, key, group, upload.mode));
    assertJson(body, upload.templateFile);
    return { key, meterId, intervalStart: interval.start, body };
  });
}

/**
 * The Aggregator's outbox builder for a site: renders each closed interval with the site's template.
 * A payload that fails to render still gets an outbox entry, parked as rejected with the error, so it shows
 * on the dashboard instead of blocking the interval. Returns undefined when the site has no upload section.
 */
export function createOutboxBuilder(
  site: ResolvedSite,
  serialOf: (meterId: string) => string | null,
): OutboxBuilder | undefined {
  if (!site.upload) return undefined;
  const template = compilePayloadTemplate(site.upload.templateFile);
  return (interval): NewOutboxEntry[] => {
    try {
      return renderInterval(site, template, interval, serialOf).map((p) => ({
        key: p.key,
        meterId: p.meterId,
        intervalStart: p.intervalStart,
        payload: p.body,
      }));
    } catch (error) {
      const meterIds =
        site.upload?.mode === "meter" ? site.meters.filter((m) => m.enabled).map((m) => m.id) : [null];
      return meterIds.map((meterId) => ({
        key: idempotencyKey(site.id, meterId, interval.start),
        meterId,
        intervalStart: interval.start,
        payload: "",
        state: "rejected" as const,
        lastError: (error as Error).message,
      }));
    }
  };
}

/** The serial number a payload shows: the configured one, else the latest one read from the meter. */
export function serialFromStore(
  site: ResolvedSite,
  store: {
    identity(meterId: string, quantity: "serial_number"): { value: number | string | null } | undefined;
  },
): (meterId: string) => string | null {
  return (meterId) => {
    const configured = site.meters.find((m) => m.id === meterId)?.serialNumber;
    if (configured !== undefined) return configured;
    const read = store.identity(meterId, "serial_number")?.value;
    return read === undefined || read === null ? null : String(read);
  };
}

/** Plausible sample values per canonical unit, so a sample payload looks like a real one. */
const SAMPLE_VALUES: Record<string, number> = {
  V: 230.1,
  A: 5.25,
  W: 1150.5,
  var: 120.5,
  VA: 1180.25,
  Hz: 50.01,
  "": 0.97,
  "%": 2.5,
};

/**
 * Renders the site's template with made-up data for every enabled meter and quantity of the site, and checks
 * every payload is JSON. `ampx validate` calls this so a broken template fails at validate time. Throws
 * PayloadTemplateError.
 */
export function renderSamplePayload(site: ResolvedSite): RenderedPayload[] {
  if (!site.upload) throw new PayloadTemplateError("PAYLOAD_E_NO_UPLOAD", "the site has no upload section");
  const length = site.upload.intervalMs;
  const start = Math.floor(Date.UTC(2026, 0, 1, 12, 0, 0) / length) * length;
  const aggregates: IntervalAggregate[] = aggregatePlan(site).map((p) => {
    const base = {
      meterId: p.meterId,
      quantity: p.quantity,
      kind: p.kind,
      unit: p.unit,
      start,
      end: start + length,
    };
    const stats = {
      count: Math.max(1, Math.round(length / p.pollIntervalMs)),
      badCount: 0,
      coverage: 1,
      quality: "good" as const,
    };
    if (p.kind === "counter")
      return { ...base, ...stats, first: 12345.5, last: 12346.75, delta: 1.25, reset: false };
    const value = SAMPLE_VALUES[p.unit] ?? 1.5;
    return { ...base, ...stats, avg: value, min: value * 0.98, max: value * 1.02 };
  });
  const template = compilePayloadTemplate(site.upload.templateFile);
  return renderInterval(site, template, { start, end: start + length, aggregates }, (meterId) => {
    const meter = site.meters.find((m) => m.id === meterId);
    return meter?.serialNumber ?? String(10000000 + (meter?.unitId ?? 0));
  });
}
