// The template compiler on small templates: which slot each construct becomes, and what it refuses.
import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { cppDouble, cppString } from "../../engine/codegen/cpp.js";
import { parseCoreLimits, readCoreLimits } from "../../engine/codegen/core-limits.js";
import { compilePayloadPrograms } from "../../engine/codegen/payload/compile.js";
import type { PayloadTemplateEnv } from "../../engine/codegen/payload/compile.js";
import { enginePayloadEnv } from "../../engine/codegen/payload/engine-env.js";
import { fillPayload } from "../../engine/codegen/payload/fill.js";
import { buildFirmwareSite } from "../../engine/codegen/site-data.js";
import { loadSiteOrThrow } from "../../engine/config/index.js";
import type { IntervalAggregate } from "../../engine/model.js";
import { planMeter } from "../../engine/plan/index.js";
import { sitePath } from "./cases.js";

const site = loadSiteOrThrow(sitePath("sites/ampx-portal.yaml"));
const onSite = { ...site, upload: { ...site.upload!, mode: "site" as const } };
const { data } = buildFirmwareSite(onSite, (p) => planMeter(p), readCoreLimits());

function compile(source: string, env: PayloadTemplateEnv = enginePayloadEnv()) {
  return compilePayloadPrograms({
    site: onSite,
    templateFile: "inline.json.hbs",
    templateSource: source,
    env,
    quantities: data.quantities.map((q) => ({
      index: q.index,
      meterIndex: q.meterIndex,
      meterId: q.meterId,
      quantity: q.register.quantity,
      kind: q.register.kind,
      unit: q.register.canonicalUnit,
    })),
    templateField: { file: site.file, line: 1, column: 1 },
  });
}

const START = Date.UTC(2026, 11, 4, 10, 15);
const aggregate: IntervalAggregate = {
  meterId: "m1",
  quantity: "active_power_total",
  kind: "instantaneous",
  unit: "W",
  start: START,
  end: START + 900_000,
  count: 450,
  badCount: 0,
  coverage: 1,
  quality: "good",
  avg: 1234.5,
  min: 1000,
  max: 1500,
};
const interval = {
  start: START,
  end: START + 900_000,
  aggregate: (meterId: string, quantity: string) =>
    meterId === aggregate.meterId && quantity === aggregate.quantity ? aggregate : undefined,
  identity: (meterId: string) => (meterId === "m2" ? 'A"1' : undefined),
};

describe("payload template compiler", () => {
  it("compiles num with divide into a division step and a json slot", () => {
    const { programs, diagnostics } = compile(
      '{"kw":{{num meters.0.q.active_power_total.avg divide=1000}} }',
    );
    expect(diagnostics).toEqual([]);
    expect(programs[0]!.chunks).toEqual(['{"kw":', " }"]);
    expect(programs[0]!.slots[0]).toMatchObject({ ops: [{ op: "divide", operand: 1000 }], format: "json" });
    expect(fillPayload(programs[0]!, interval)).toBe('{"kw":1.2345 }');
  });

  it("compiles str of a serial number read from the meter into quotes around a jsonInner slot", () => {
    const { programs } = compile("[{{#each meters}}{{str serial}}{{#unless @last}},{{/unless}}{{/each}}]");
    expect(programs[0]!.slots.map((s) => [s.value.source, s.format])).toEqual(
      Array(4).fill(["identity", "jsonInner"]),
    );
    expect(fillPayload(programs[0]!, interval)).toBe('["","A\\"1","",""]');
  });

  it("turns interval times and the idempotency key into time slots around literal text", () => {
    const { programs } = compile(
      '{"t":{{iso interval.start}},"ms":{{interval.end}},"key":{{json idempotencyKey}} }',
    );
    const program = programs[0]!;
    expect(program.chunks).toEqual(['{"t":"', '","ms":', ',"key":"ampx-portal:site:', '" }']);
    expect(fillPayload(program, interval)).toBe(
      `{"t":"2026-12-04T10:15:00Z","ms":${START + 900_000},"key":"ampx-portal:site:2026-12-04T10:15:00Z" }`,
    );
  });

  it("detects HTML escaping by handlebars and fills textEscaped slots", () => {
    const env = enginePayloadEnv();
    const escaping: PayloadTemplateEnv = { ...env, compileOptions: {} };
    const { programs, diagnostics } = compile('{"q":"{{meters.0.q.active_power_total.quality}}"}', escaping);
    expect(diagnostics).toEqual([]);
    expect(programs[0]!.slots[0]!.format).toBe("textEscaped");
  });

  it("refuses {{#each}} over a measured value and {{#if}} on one, with the template line", () => {
    const loop = compile('{\n"x": [{{#each meters.0.q.active_power_total.avg}}1{{/each}}]}');
    expect(loop.diagnostics[0]).toMatchObject({
      code: "FIRMWARE_E_TEMPLATE_RUNTIME_LOOP",
      line: 2,
      path: "upload.template",
    });
    const condition = compile('{{#unless meters.0.q.voltage_l1.count}}"none"{{/unless}}');
    expect(condition.diagnostics[0]!.code).toBe("FIRMWARE_E_TEMPLATE_RUNTIME_CONDITION");
  });

  it("reports a template that does not parse with its line", () => {
    const { diagnostics } = compile('{\n"a": {{json site.id}\n}');
    expect(diagnostics[0]).toMatchObject({ code: "FIRMWARE_E_TEMPLATE_SYNTAX", line: 2 });
  });

  it("refuses a context that computes with a measured value", () => {
    const env = enginePayloadEnv();
    const computing: PayloadTemplateEnv = {
      ...env,
      // A comparison makes JavaScript ask the marker for a number: the compiler refuses instead of guessing.
      buildContext: (request) => ({ seen: request.aggregates.filter((a) => a.count > 0) }),
    };
    const { diagnostics } = compile("{{seen.length}}", computing);
    expect(diagnostics[0]!.code).toBe("FIRMWARE_E_TEMPLATE_RUNTIME_VALUE");
  });

  it("leaves the engine's handlebars environment untouched", () => {
    const env = enginePayloadEnv();
    const before = { ...env.handlebars.helpers };
    compile("{{json site.id}}", env);
    expect(env.handlebars.helpers).toEqual(before);
    expect(Handlebars.helpers["if"]).toBeTypeOf("function");
  });
});

describe("C++ literals and core limits", () => {
  it("escapes strings as UTF-8 octal escapes without trigraphs", () => {
    expect(cppString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(cppString("é")).toBe('"\\303\\251"');
    expect(cppString("??=")).toBe('"?\\?="');
    expect(cppString(undefined)).toBe("nullptr");
  });

  it("writes doubles that read back exactly, always as floating literals", () => {
    expect(cppDouble(1000)).toBe("1000.0");
    expect(cppDouble(0.001)).toBe("0.001");
    expect(cppDouble(1e21)).toBe("1e+21");
    expect(cppDouble(-0)).toBe("-0.0");
    for (const v of [0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308]) expect(Number(cppDouble(v))).toBe(v);
  });

  it("reads the capacities from ampx_limits.h and refuses a header without them", () => {
    expect(readCoreLimits().maxMeters).toBe(32);
    expect(() => parseCoreLimits("constexpr std::size_t kMaxMeters = 32;")).toThrow(/kMaxBlocksPerMeter/);
    const text = readFileSync(
      new URL("../../firmware/lib/ampx_core/src/ampx_limits.h", import.meta.url),
      "utf8",
    );
    const changed = text.replace(/kMaxSeries = \d+/, "kMaxSeries = 2048");
    expect(changed).not.toBe(text);
    expect(parseCoreLimits(changed).maxSeries).toBe(2048);
  });
});
