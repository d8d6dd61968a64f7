// Compiles a site's upload template into literal chunks and value slots (docs/firmware-codegen.md).
//
// The template is rendered at generation time, by the engine's own context builder and helpers,
// with markers in place of everything that is only known when an interval closes: aggregate fields
// become RuntimeValue objects that print as unique tokens, and the interval start and end are two
// far-future instants whose every printed form (ISO text, epoch ms and s) is recognised in the
// output. Splitting the rendered text on tokens and instants gives the chunks and slots. Loops over
// meters and quantities unroll by themselves; anything that would make the text depend on a runtime
// value in another way ({{#if avg}}, an unknown helper on a value, arithmetic in the context)
// throws during the rendering and becomes a diagnostic with the template's line.
//
// The template is rendered twice, with different instants; both renderings must compile to the
// same program, which proves no part of the text depends on the time in a way the firmware cannot
// reproduce.
import Handlebars from "handlebars";
import type { HelperOptions } from "handlebars";
import type { Diagnostic } from "../../config/diagnostic.js";
import { displayFile } from "../../config/diagnostic.js";
import type {
  CanonicalUnit,
  IntervalAggregate,
  QuantityKind,
  QuantityName,
  ResolvedMeter,
  ResolvedSite,
} from "../../model.js";
import type { AggregateField, TimeRepr } from "../enums.js";
import { isoSeconds, slotMaxLength } from "./format.js";
import {
  describeRuntimeValue,
  holdsRuntimeValue,
  isRuntimeValue,
  RuntimeValue,
  RuntimeValueUsedError,
  SlotRegistry,
  TOKEN_PATTERN,
} from "./marker.js";
import { SLOT_HELPERS } from "./slot-helpers.js";
import type { PayloadProgram, PayloadSlot, SlotValueSpec } from "./slot.js";

type HandlebarsEnv = typeof Handlebars;

/** One request the engine renders: the whole site (mode site) or one meter (mode meter). */
export interface PayloadRequest {
  site: ResolvedSite;
  mode: "site" | "meter";
  /** The meters of this request, in site order. */
  meters: readonly ResolvedMeter[];
  start: number;
  end: number;
  /** In the order the engine's aggregator produces them. */
  aggregates: readonly IntervalAggregate[];
  /** The serial number a payload shows for a meter (a runtime value when it is read from the meter). */
  serialOf(meterId: string): string | null;
}

/** The engine's way of rendering a payload, which the compiler reuses as it is. */
export interface PayloadTemplateEnv {
  /** A handlebars environment with the engine's helpers and partials registered (not modified here). */
  handlebars: HandlebarsEnv;
  compileOptions: CompileOptions;
  /** The data the template sees for one request. */
  buildContext(request: PayloadRequest): unknown;
  /** The aggregates a site has, in the order the aggregator produces them. */
  aggregatePlan(site: ResolvedSite): readonly { meterId: string; quantity: QuantityName }[];
}

/** A decode-table row the payload may refer to. */
export interface PayloadQuantity {
  /** Index into the generated quantities table. */
  index: number;
  meterIndex: number;
  meterId: string;
  quantity: QuantityName;
  kind: QuantityKind;
  unit: CanonicalUnit;
}

export interface CompilePayloadInput {
  site: ResolvedSite;
  templateFile: string;
  templateSource: string;
  env: PayloadTemplateEnv;
  quantities: readonly PayloadQuantity[];
  /** Where upload.template is in the site file, for diagnostics that are not on a template line. */
  templateField: { file: string; line: number; column: number };
}

export interface CompilePayloadResult {
  programs: PayloadProgram[];
  diagnostics: Diagnostic[];
}

type Loc = { start: { line: number; column: number } } | undefined;

class TemplateCompileError extends Error {
  override name = "TemplateCompileError" as const;
  constructor(
    readonly code: string,
    message: string,
    readonly loc: Loc,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const FIELDS: Record<"instantaneous" | "counter", readonly AggregateField[]> = {
  instantaneous: ["count", "badCount", "coverage", "quality", "avg", "min", "max"],
  counter: ["count", "badCount", "coverage", "quality", "first", "last", "delta", "reset"],
};

/** An instant aligned to `intervalMs`, far enough in the future that no template text holds it by chance. */
function markerInstant(intervalMs: number, dayOffset: number): number {
  const base = Date.UTC(2100, 0, 1 + dayOffset);
  return Math.ceil(base / intervalMs) * intervalMs;
}

/** Marker aggregates for the request's meters, in the aggregator's order. */
function markerAggregates(
  registry: SlotRegistry,
  input: CompilePayloadInput,
  meters: readonly ResolvedMeter[],
  start: number,
  end: number,
): IntervalAggregate[] {
  const ids = new Set(meters.map((m) => m.id));
  const out: IntervalAggregate[] = [];
  for (const planned of input.env.aggregatePlan(input.site)) {
    if (!ids.has(planned.meterId)) continue;
    const q = input.quantities.find((r) => r.meterId === planned.meterId && r.quantity === planned.quantity);
    if (q === undefined || q.kind === "identity") {
      throw new Error(
        `no decode row for ${planned.meterId}/${planned.quantity}, which the engine aggregates`,
      );
    }
    const aggregate: Record<string, unknown> = {
      meterId: q.meterId,
      quantity: q.quantity,
      kind: q.kind,
      unit: q.unit,
      start,
      end,
    };
    for (const field of FIELDS[q.kind]) {
      const spec: SlotValueSpec = {
        source: "aggregate",
        quantity: q.index,
        meterId: q.meterId,
        quantityName: q.quantity,
        field,
      };
      aggregate[field] = new RuntimeValue(
        registry,
        spec,
        `${field} of ${q.quantity} of meter "${q.meterId}"`,
      );
    }
    out.push(aggregate as unknown as IntervalAggregate);
  }
  return out;
}

const CONTROL_HELPERS = new Set([
  "if",
  "unless",
  "each",
  "with",
  "lookup",
  "log",
  "helperMissing",
  "blockHelperMissing",
]);

function optionsOf(args: unknown[]): HelperOptions {
  return args[args.length - 1] as HelperOptions;
}

function locOf(options: HelperOptions): Loc {
  return (options as unknown as { loc?: Loc }).loc;
}

/** The registry of the rendering in progress (renderings are synchronous and never nested). */
interface RenderState {
  registry: SlotRegistry | undefined;
}

/** A copy of the engine's environment whose helpers refuse or compile runtime values. */
function markerEnvironment(env: PayloadTemplateEnv, state: RenderState): HandlebarsEnv {
  const hb = Handlebars.create();
  const builtins = { ...hb.helpers };
  for (const [name, partial] of Object.entries(env.handlebars.partials)) hb.registerPartial(name, partial);
  for (const [name, helper] of Object.entries(env.handlebars.helpers)) {
    // handlebars' own control helpers stay as they are (guarded below); the engine does not replace them.
    if (CONTROL_HELPERS.has(name)) continue;
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = optionsOf(args);
      const params = args.slice(0, -1);
      const runtime = [...params, options.hash as unknown].find((p) => holdsRuntimeValue(p));
      if (runtime === undefined) return (helper as (...a: unknown[]) => unknown).apply(this, args);
      const compile = SLOT_HELPERS[name];
      if (compile === undefined || typeof options.fn === "function") {
        throw new TemplateCompileError(
          "FIRMWARE_E_TEMPLATE_HELPER",
          `helper "${name}" is applied to ${describeRuntimeValue(runtime)}, which is only known when the interval closes, and the firmware has no equivalent of "${name}"`,
          locOf(options),
          `helpers the firmware can apply to runtime values: ${Object.keys(SLOT_HELPERS).sort().join(", ")}`,
        );
      }
      try {
        const registry = runtime instanceof RuntimeValue ? runtime.registry : state.registry;
        if (registry === undefined) throw new Error("payload helper called outside a rendering");
        return compile(params, options, registry);
      } catch (error) {
        if (error instanceof RuntimeValueUsedError) {
          throw new TemplateCompileError(
            "FIRMWARE_E_TEMPLATE_HELPER",
            `helper "${name}": ${error.message}`,
            locOf(options),
          );
        }
        throw error;
      }
    });
  }
  const guard = (name: string, code: string, what: string) => {
    const original = builtins[name] as (...a: unknown[]) => unknown;
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = optionsOf(args);
      const value = args[0];
      // Only the value itself matters: a list or object that holds runtime values is known to exist.
      if (args.length > 1 && isRuntimeValue(value)) {
        throw new TemplateCompileError(
          code,
          `{{#${name}}} on ${describeRuntimeValue(value)}: ${what}`,
          locOf(options),
          "the payload's shape must be known when the firmware is generated; write the value itself (null when missing) and let the API decide",
        );
      }
      return original.apply(this, args);
    });
  };
  guard("if", "FIRMWARE_E_TEMPLATE_RUNTIME_CONDITION", "the output would depend on a measured value");
  guard("unless", "FIRMWARE_E_TEMPLATE_RUNTIME_CONDITION", "the output would depend on a measured value");
  guard("each", "FIRMWARE_E_TEMPLATE_RUNTIME_LOOP", "the output would depend on a measured value");
  guard("with", "FIRMWARE_E_TEMPLATE_RUNTIME_LOOP", "the output would depend on a measured value");
  const lookup = builtins["lookup"] as (...a: unknown[]) => unknown;
  hb.registerHelper("lookup", function (this: unknown, ...args: unknown[]) {
    if (holdsRuntimeValue(args[1])) {
      throw new TemplateCompileError(
        "FIRMWARE_E_TEMPLATE_RUNTIME_CONDITION",
        `lookup by ${describeRuntimeValue(args[1])}: the output would depend on a measured value`,
        locOf(optionsOf(args)),
      );
    }
    return lookup.apply(this, args);
  });
  return hb;
}

/** Every printed form of the two instants, longest first, for the splitter. */
function timePatterns(start: number, end: number): { text: string; spec: SlotValueSpec }[] {
  const forms: { time: Exclude<TimeRepr, "none">; print: (t: number) => string }[] = [
    { time: "isoMillis", print: (t) => new Date(t).toISOString() },
    { time: "isoSeconds", print: isoSeconds },
    { time: "epochMillis", print: (t) => String(t) },
    { time: "epochSeconds", print: (t) => String(Math.floor(t / 1000)) },
  ];
  const out: { text: string; spec: SlotValueSpec }[] = [];
  for (const [source, t] of [
    ["intervalStart", start],
    ["intervalEnd", end],
  ] as const) {
    for (const f of forms) out.push({ text: f.print(t), spec: { source, time: f.time } });
  }
  return out.sort((a, b) => b.text.length - a.text.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Rendered text → chunks and slots. */
function split(
  rendered: string,
  registry: SlotRegistry,
  start: number,
  end: number,
): { chunks: string[]; slots: PayloadSlot[] } {
  const times = timePatterns(start, end);
  const alternatives = [
    TOKEN_PATTERN,
    ...times.map((t) => (/^\d/.test(t.text) ? `(?<!\\d)${t.text}(?!\\d)` : escapeRegExp(t.text))),
  ];
  const re = new RegExp(alternatives.map((a) => `(?:${a})`).join("|"), "g");
  const chunks: string[] = [];
  const slots: PayloadSlot[] = [];
  let last = 0;
  for (let m = re.exec(rendered); m !== null; m = re.exec(rendered)) {
    chunks.push(rendered.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      const slot = registry.slots[Number(m[1])];
      if (slot === undefined) throw new Error(`unknown payload token ${m[1]}`);
      if (m[2] === "=") slots.push(slot);
      else if (slot.format === "text") slots.push({ ...slot, format: "textEscaped" });
      else {
        throw new TemplateCompileError(
          "FIRMWARE_E_TEMPLATE_ESCAPE",
          "a runtime value is HTML-escaped after a helper formatted it",
          undefined,
          "write it with {{{ }}} or compile the template with noEscape",
        );
      }
    } else {
      const time = times.find((t) => t.text === m[0]);
      if (time === undefined) throw new Error(`unmatched payload text ${m[0]}`);
      slots.push({ value: time.spec, ops: [], format: "text" });
    }
  }
  chunks.push(rendered.slice(last));
  return { chunks, slots };
}

function render(
  state: RenderState,
  template: HandlebarsTemplateDelegate,
  input: CompilePayloadInput,
  meters: readonly ResolvedMeter[],
  dayOffset: number,
): { chunks: string[]; slots: PayloadSlot[] } {
  const intervalMs = input.site.upload?.intervalMs ?? 15 * 60_000;
  const start = markerInstant(intervalMs, dayOffset);
  const end = start + intervalMs;
  const registry = new SlotRegistry();
  state.registry = registry;
  try {
    const aggregates = markerAggregates(registry, input, meters, start, end);
    const serialOf = (meterId: string): string | null => {
      const meter = input.site.meters.find((m) => m.id === meterId);
      if (meter?.serialNumber !== undefined) return meter.serialNumber;
      const row = input.quantities.find((q) => q.meterId === meterId && q.quantity === "serial_number");
      if (row === undefined) return null;
      const spec: SlotValueSpec = {
        source: "identity",
        quantity: row.index,
        meterId,
        quantityName: row.quantity,
      };
      // A runtime value where the engine has a string: the firmware fills in what it read from the meter.
      return new RuntimeValue(
        registry,
        spec,
        `the serial number read from meter "${meterId}"`,
      ) as unknown as string;
    };
    const mode = input.site.upload?.mode ?? "site";
    let context: unknown;
    try {
      context = input.env.buildContext({ site: input.site, mode, meters, start, end, aggregates, serialOf });
    } catch (error) {
      if (error instanceof RuntimeValueUsedError) {
        throw new TemplateCompileError(
          "FIRMWARE_E_TEMPLATE_RUNTIME_VALUE",
          `the payload data computes with ${error.description} before the template sees it`,
          undefined,
        );
      }
      throw error;
    }
    const rendered = template(context);
    return split(rendered, registry, start, end);
  } finally {
    state.registry = undefined;
  }
}

function sameProgram(
  a: { chunks: string[]; slots: PayloadSlot[] },
  b: { chunks: string[]; slots: PayloadSlot[] },
) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function firstDifference(a: string[], b: string[]): string {
  const x = a.join("\u2026");
  const y = b.join("\u2026");
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return JSON.stringify(x.slice(Math.max(0, i - 20), i + 30));
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The payload programs of a site: one in site mode, one per enabled meter in meter mode. */
export function compilePayloadPrograms(input: CompilePayloadInput): CompilePayloadResult {
  const diagnostics: Diagnostic[] = [];
  const at = (error: TemplateCompileError | { code: string; message: string; loc: Loc; hint?: string }) => {
    const onTemplate = error.loc !== undefined;
    const d: Diagnostic = {
      code: error.code,
      severity: "error",
      file: onTemplate ? input.templateFile : input.templateField.file,
      line: onTemplate ? error.loc!.start.line : input.templateField.line,
      column: onTemplate ? error.loc!.start.column + 1 : input.templateField.column,
      path: "upload.template",
      // A template line alone does not say which site uses the template: name the site's field too.
      message: onTemplate
        ? `${error.message} (template of ${displayFile(input.templateField.file)}:${input.templateField.line})`
        : error.message,
    };
    if (error.hint !== undefined) d.hint = error.hint;
    diagnostics.push(d);
  };

  let template: HandlebarsTemplateDelegate;
  const state: RenderState = { registry: undefined };
  const hb = markerEnvironment(input.env, state);
  try {
    Handlebars.parse(input.templateSource);
    template = hb.compile(input.templateSource, input.env.compileOptions);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/.exec(message)?.[1];
    at({
      code: "FIRMWARE_E_TEMPLATE_SYNTAX",
      // handlebars puts the position first and what it expected last: keep both, drop the excerpt.
      message: `the template does not parse: ${[...new Set([message.split("\n")[0], message.split("\n").at(-1)])].join(" ")}`,
      loc: { start: { line: line === undefined ? 1 : Number(line), column: 0 } },
    });
    return { programs: [], diagnostics };
  }

  const enabled = input.site.meters.filter((m) => m.enabled);
  const requests: { meter: number | null; meters: ResolvedMeter[] }[] =
    input.site.upload?.mode === "meter"
      ? enabled.map((m) => ({ meter: input.site.meters.indexOf(m), meters: [m] }))
      : [{ meter: null, meters: enabled }];

  const programs: PayloadProgram[] = [];
  for (const request of requests) {
    try {
      const a = render(state, template, input, request.meters, 0);
      const b = render(state, template, input, request.meters, 1);
      if (!sameProgram(a, b)) {
        at({
          code: "FIRMWARE_E_TEMPLATE_TIME_FORMAT",
          message: `the payload changes with the interval time in a way the firmware cannot reproduce, near ${firstDifference(a.chunks, b.chunks)}`,
          loc: undefined,
          hint: "write interval times as ISO-8601 UTC text (with or without milliseconds) or epoch milliseconds/seconds",
        });
        break;
      }
      const literal = a.chunks.reduce((n, c) => n + utf8Length(c), 0);
      const maxLength = a.slots.reduce((n, s) => n + slotMaxLength(s), literal);
      const meterId = request.meter === null ? null : (input.site.meters[request.meter]?.id ?? null);
      programs.push({ meter: request.meter, meterId, chunks: a.chunks, slots: a.slots, maxLength });
    } catch (error) {
      if (error instanceof TemplateCompileError) {
        at(error);
        break;
      }
      if (error instanceof RuntimeValueUsedError) {
        at({ code: "FIRMWARE_E_TEMPLATE_RUNTIME_VALUE", message: error.message, loc: undefined });
        break;
      }
      const message = error instanceof Error ? error.message : String(error);
      at({
        code: "FIRMWARE_E_TEMPLATE_RENDER",
        message: `the template fails to render: ${message}`,
        loc: undefined,
      });
      break;
    }
  }
  return { programs, diagnostics };
}
