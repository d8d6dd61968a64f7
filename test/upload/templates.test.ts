import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, describe, expect, it } from "vitest";
import type { IntervalAggregate } from "../../engine/model.js";
import { aggregatePlan } from "../../engine/aggregate/index.js";
import {
  compilePayloadTemplate,
  createOutboxBuilder,
  idempotencyKey,
  jsonNumber,
  PayloadTemplateError,
  renderInterval,
  renderSamplePayload,
} from "../../engine/upload/index.js";
import { schemaDir } from "../../engine/paths.js";
import { testSite } from "./fixtures.js";

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validatePayload = ajv.compile(
  JSON.parse(readFileSync(join(schemaDir, "payload.schema.json"), "utf8")) as object,
);
const tmp = mkdtempSync(join(tmpdir(), "ampx-tpl-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const START = Date.UTC(2026, 11, 4, 10, 15);
const L = 900_000;

/** Aggregates of a site's plan; `missing` names quantities with no good samples. */
function aggregates(site: ReturnType<typeof testSite>, missing: string[] = []): IntervalAggregate[] {
  return aggregatePlan(site).map((p, i) => {
    const base = {
      meterId: p.meterId,
      quantity: p.quantity,
      kind: p.kind,
      unit: p.unit,
      start: START,
      end: START + L,
    };
    if (missing.includes(p.quantity))
      return { ...base, count: 0, badCount: 3, coverage: 0, quality: "missing" as const };
    const stats = { count: 450, badCount: 0, coverage: 1, quality: "good" as const };
    if (p.kind === "counter")
      return { ...base, ...stats, first: 33.09 + i, last: 33.59 + i, delta: 0.5, reset: false };
    return { ...base, ...stats, avg: 680 + i + 0.125, min: 600, max: 700 };
  });
}

// The firmware's body (docs ../shared/reference/ampx-existing.md §3.1), minus _summary and _name (dropped upstream).
const FIRMWARE_EXAMPLE = JSON.parse(`{"gateway_id":"100001","meter_id":"1","serial_number":"12345678",
 "timestamp":"2025-09-01T12:00:00Z",
 "values":{"m1_voltage_L1":230.12,"m1_voltage_L2":229.80,"m1_voltage_L3":231.02,
           "m1_current_L1":3.03,"m1_current_L2":4.29,"m1_current_L3":3.04,"m1_current_avg":10.82,
           "m1_active_power_L1":0.68,"m1_active_power_L2":0.97,"m1_active_power_L3":0.69,"m1_active_power_tot":2.34,
           "m1_active_energy_imported_L1":33.09,"m1_active_energy_imported_L2":2.35,"m1_active_energy_imported_L3":2.81,
           "m1_active_energy_imported_tot":38.25}}`) as Record<string, unknown>;

const typeOf = (v: unknown): string => (v === null ? "null" : typeof v);

describe("default template", () => {
  it("renders every meter and quantity, valid against schema/payload.schema.json, with the idempotency key", () => {
    const site = testSite({ meters: 3 });
    const [payload, ...rest] = renderInterval(
      site,
      compilePayloadTemplate(site.upload!.templateFile),
      { start: START, end: START + L, aggregates: aggregates(site) },
      () => "SN1",
    );
    expect(rest).toEqual([]);
    const body = JSON.parse(payload!.body) as {
      idempotencyKey: string;
      interval: unknown;
      meters: {
        id: string;
        name: string;
        instantaneous: Record<string, unknown>;
        counters: Record<string, unknown>;
      }[];
    };
    expect(validatePayload(body), JSON.stringify(validatePayload.errors)).toBe(true);
    expect(payload!.key).toBe("plant:site:2026-12-04T10:15:00Z");
    expect(body.idempotencyKey).toBe(payload!.key);
    expect(body.interval).toEqual({
      start: "2026-12-04T10:15:00Z",
      end: "2026-12-04T10:30:00Z",
      seconds: 900,
    });
    expect(body.meters.map((m) => m.id)).toEqual(["m1", "m2", "m3"]);
    expect(body.meters[0]!.name).toBe('Main "DB" <1>'); // escaped as JSON, not as HTML
    expect(Object.keys(body.meters[0]!.instantaneous)).toHaveLength(11);
    expect(body.meters[0]!.counters.active_energy_import).toEqual({
      unit: "kWh",
      kind: "counter",
      first: 47.09,
      last: 47.59,
      delta: 0.5,
      reset: false,
      count: 450,
      badCount: 0,
      coverage: 1,
      quality: "good",
    });
  });

  it("missing quantities render as null values with quality missing, still valid; mode meter gives one payload per meter", () => {
    const site = testSite({ meters: 2, mode: "meter" });
    const payloads = renderInterval(
      site,
      compilePayloadTemplate(site.upload!.templateFile),
      { start: START, end: START + L, aggregates: aggregates(site, ["voltage_l2", "active_energy_import"]) },
      () => null,
    );
    expect(payloads.map((p) => p.key)).toEqual([
      "plant:m1:2026-12-04T10:15:00Z",
      "plant:m2:2026-12-04T10:15:00Z",
    ]);
    for (const p of payloads) {
      const body = JSON.parse(p.body) as {
        meters: {
          id: string;
          serial: null;
          instantaneous: Record<string, unknown>;
          counters: Record<string, unknown>;
        }[];
      };
      expect(validatePayload(body), JSON.stringify(validatePayload.errors)).toBe(true);
      expect(body.meters).toHaveLength(1);
      expect(body.meters[0]!.serial).toBeNull();
      expect(body.meters[0]!.instantaneous.voltage_l2).toMatchObject({
        avg: null,
        min: null,
        max: null,
        count: 0,
        quality: "missing",
      });
      expect(body.meters[0]!.counters.active_energy_import).toMatchObject({
        first: null,
        last: null,
        delta: null,
        reset: null,
      });
    }
  });

  it("numbers are written with JSON.stringify semantics (the json-numbers vectors the firmware shares)", () => {
    const file = new URL("../vectors/json-numbers.json", import.meta.url);
    const vectors = JSON.parse(readFileSync(file, "utf8")) as { cases: { bits: string; expected: string }[] };
    for (const c of vectors.cases)
      expect(jsonNumber(Buffer.from(c.bits, "hex").readDoubleBE(0))).toBe(c.expected);
    expect(jsonNumber(Number.NaN)).toBe("null");
    expect(jsonNumber(undefined)).toBe("null");
    expect(jsonNumber(680, 1000)).toBe("0.68");
  });
});

describe("flat-records template", () => {
  it("renders one flat record per meter and quantity", () => {
    const site = testSite({ meters: 2, template: "flat-records" });
    const [payload] = renderSamplePayload(site);
    const records = JSON.parse(payload!.body) as Record<string, unknown>[];
    expect(records).toHaveLength(2 * 15);
    expect(records[0]).toMatchObject({
      site: "plant",
      meter: "m1",
      quantity: "voltage_l1",
      unit: "V",
      kind: "instantaneous",
      reading: null,
      quality: "good",
    });
    expect(records.find((r) => r.meter === "m2" && r.quantity === "active_energy_import")).toMatchObject({
      value: 1.25,
      reading: 12346.75,
      min: null,
    });
  });
});

describe("ampx-portal-v2 template", () => {
  const site = testSite({ meters: 2, mode: "meter", template: "ampx-portal-v2" });
  const payloads = renderInterval(
    site,
    compilePayloadTemplate(site.upload!.templateFile),
    { start: START, end: START + L, aggregates: aggregates(site) },
    (id) => (id === "m1" ? "12345678" : null),
  );
  const bodies = payloads.map(
    (p) => JSON.parse(p.body) as Record<string, unknown> & { values: Record<string, unknown> },
  );

  it("has exactly the firmware's field names and JSON types, one request per meter", () => {
    expect(bodies).toHaveLength(2);
    const m1 = bodies[0]!;
    expect(Object.keys(m1)).toEqual(Object.keys(FIRMWARE_EXAMPLE));
    for (const key of Object.keys(FIRMWARE_EXAMPLE))
      expect(typeOf(m1[key]), key).toBe(typeOf(FIRMWARE_EXAMPLE[key]));
    const example = FIRMWARE_EXAMPLE.values as Record<string, unknown>;
    expect(Object.keys(m1.values).sort()).toEqual(Object.keys(example).sort());
    for (const key of Object.keys(example)) expect(typeOf(m1.values[key]), key).toBe("number");
    expect(m1).toMatchObject({
      gateway_id: "100001",
      meter_id: "1",
      serial_number: "12345678",
      timestamp: "2026-12-04T10:30:00Z",
    });
    expect(Object.keys(bodies[1]!.values).every((k) => k.startsWith("m2_"))).toBe(true);
    expect(bodies[1]).toMatchObject({ meter_id: "2", serial_number: "" });
    expect(payloads.map((p) => p.key)).toEqual([
      idempotencyKey("plant", "m1", START),
      idempotencyKey("plant", "m2", START),
    ]);
  });

  it("sends averages of instantaneous values, power in kW and the last energy reading in kWh", () => {
    const a = aggregates(site).filter((x) => x.meterId === "m1");
    const get = (q: string) => a.find((x) => x.quantity === q)!;
    const v = bodies[0]!.values;
    expect(v.m1_voltage_L1).toBe(get("voltage_l1").avg);
    expect(v.m1_current_avg).toBe(get("current_avg").avg);
    expect(v.m1_active_power_tot).toBe(get("active_power_total").avg! / 1000);
    expect(v.m1_active_energy_imported_tot).toBe(get("active_energy_import").last);
    expect(v.m1_active_energy_imported_L2).toBe(get("active_energy_import_l2").last);
  });
});

describe("template errors are clear at validate time", () => {
  const site = (body: string) => {
    const file = join(tmp, `t${Math.random().toString(36).slice(2)}.json.hbs`);
    writeFileSync(file, body);
    return testSite({ template: file });
  };
  const codeOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(PayloadTemplateError);
      return (error as PayloadTemplateError).code;
    }
    return undefined;
  };

  it("a syntax error, an unknown helper and invalid JSON each fail renderSamplePayload with a code", () => {
    expect(codeOf(() => renderSamplePayload(site('{"a": {{json site.id}')))).toBe(
      "PAYLOAD_E_TEMPLATE_SYNTAX",
    );
    expect(codeOf(() => renderSamplePayload(site('{"a": {{shout site.id}}}')))).toBe(
      "PAYLOAD_E_TEMPLATE_SYNTAX",
    );
    expect(codeOf(() => renderSamplePayload(site('{"a": {{json site.id}},\n "b": {{site.name}} }')))).toBe(
      "PAYLOAD_E_NOT_JSON",
    );
    expect(codeOf(() => renderSamplePayload(testSite({ template: join(tmp, "nope.json.hbs") })))).toBe(
      "PAYLOAD_E_TEMPLATE_READ",
    );
    expect(codeOf(() => renderSamplePayload(testSite()))).toBeUndefined();
    try {
      renderSamplePayload(site('{"a": {{json site.id}},\n "b": {{site.name}} }'));
    } catch (error) {
      expect((error as Error).message).toMatch(/line 2 column \d+/);
    }
  });

  it("at runtime an interval whose payload does not render is parked as rejected with the error", () => {
    const broken = site('{"a": {{site.name}} }');
    const build = createOutboxBuilder(broken, () => null)!;
    const [entry] = build({ start: START, end: START + L, aggregates: aggregates(broken) });
    expect(entry).toMatchObject({ key: "plant:site:2026-12-04T10:15:00Z", state: "rejected", payload: "" });
    expect(entry!.lastError).toMatch(/valid JSON/);
  });
});
