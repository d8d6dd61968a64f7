// The compiled payload equals the engine's rendering, byte for byte: for every example site and every
// shipped template, in both upload modes, over intervals with missing values, counter resets, awkward
// numbers and serial numbers that need escaping. The same intervals go to test/vectors/payload-<case>.json
// for the C++ payload writer.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFirmwareSite } from "../../engine/codegen/site-data.js";
import type { FirmwareSite } from "../../engine/codegen/site-data.js";
import { readCoreLimits } from "../../engine/codegen/core-limits.js";
import { compilePayloadPrograms } from "../../engine/codegen/payload/compile.js";
import { enginePayloadEnv } from "../../engine/codegen/payload/engine-env.js";
import { fillPayload } from "../../engine/codegen/payload/fill.js";
import type { IntervalValues, PayloadProgram } from "../../engine/codegen/payload/slot.js";
import { loadSiteOrThrow } from "../../engine/config/index.js";
import type { IntervalAggregate, ResolvedSite } from "../../engine/model.js";
import { packageRoot, templatesDir } from "../../engine/paths.js";
import { planMeter } from "../../engine/plan/index.js";
import { compilePayloadTemplate, renderInterval } from "../../engine/upload/render.js";
import { CASES, identityValue, intervalAggregates, random, sitePath, UPDATE_GOLDEN } from "./cases.js";

const limits = readCoreLimits();
const TEMPLATES = ["default", "flat-records", "ampx-portal-v2"] as const;

function withTemplate(site: ResolvedSite, template: string, mode: "site" | "meter"): ResolvedSite {
  const upload = site.upload!;
  return {
    ...site,
    upload: { ...upload, templateFile: join(templatesDir, "upload", `${template}.json.hbs`), mode },
  };
}

function compile(site: ResolvedSite): { data: FirmwareSite; programs: PayloadProgram[] } {
  const { data, diagnostics } = buildFirmwareSite(site, (p) => planMeter(p), limits);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const result = compilePayloadPrograms({
    site,
    templateFile: site.upload!.templateFile,
    templateSource: readFileSync(site.upload!.templateFile, "utf8"),
    env: enginePayloadEnv(),
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
  expect(result.diagnostics).toEqual([]);
  return { data, programs: result.programs };
}

interface Interval {
  start: number;
  end: number;
  aggregates: IntervalAggregate[];
  identities: Map<string, string | number | undefined>;
}

function intervals(site: ResolvedSite, seed: number): Interval[] {
  const rnd = random(seed);
  const length = site.upload!.intervalMs;
  const starts = [
    0,
    Date.UTC(2026, 11, 4, 10, 0),
    Date.UTC(2026, 11, 4, 10, 0) + 7 * length,
    Date.UTC(2099, 0, 1),
  ];
  return starts.map((start) => ({
    start,
    end: start + length,
    aggregates: intervalAggregates(site, start, start + length, rnd),
    // Only meters whose profile reads a serial number can have one read.
    identities: new Map(
      site.meters.map((m) => {
        const value = identityValue(rnd);
        return [m.id, m.profile.registers.some((r) => r.quantity === "serial_number") ? value : undefined];
      }),
    ),
  }));
}

function values(interval: Interval): IntervalValues {
  return {
    start: interval.start,
    end: interval.end,
    aggregate: (meterId, quantity) =>
      interval.aggregates.find((a) => a.meterId === meterId && a.quantity === quantity),
    identity: (meterId, quantity) =>
      quantity === "serial_number" ? interval.identities.get(meterId) : undefined,
  };
}

/** engine/upload/render.ts serialFromStore: the configured serial, else what was read, as text. */
function serialOf(site: ResolvedSite, interval: Interval) {
  return (meterId: string): string | null => {
    const configured = site.meters.find((m) => m.id === meterId)?.serialNumber;
    if (configured !== undefined) return configured;
    const read = interval.identities.get(meterId);
    return read === undefined ? null : String(read);
  };
}

function engineBodies(site: ResolvedSite, interval: Interval): string[] {
  const template = compilePayloadTemplate(site.upload!.templateFile);
  return renderInterval(site, template, interval, serialOf(site, interval)).map((p) => p.body);
}

describe("compiled payloads equal the engine's rendering", () => {
  for (const c of CASES) {
    const site = loadSiteOrThrow(sitePath(c.site));
    for (const template of TEMPLATES) {
      for (const mode of ["site", "meter"] as const) {
        it(`${c.name}: ${template}, mode ${mode}`, () => {
          const variant = withTemplate(site, template, mode);
          const { programs } = compile(variant);
          expect(programs.length).toBe(mode === "site" ? 1 : site.meters.filter((m) => m.enabled).length);
          for (const interval of intervals(variant, 7)) {
            const expected = engineBodies(variant, interval);
            const actual = programs.map((p) => fillPayload(p, values(interval)));
            expect(actual).toEqual(expected);
            for (const [i, body] of actual.entries()) {
              expect(Buffer.byteLength(body)).toBeLessThanOrEqual(programs[i]!.maxLength);
            }
          }
        });
      }
    }
  }

  it("reproduces negative zero, which JSON writes as 0", () => {
    const site = loadSiteOrThrow(sitePath("sites/demo.yaml"));
    const { programs } = compile(site);
    const interval = intervals(site, 3)[1]!;
    for (const a of interval.aggregates) if (a.avg !== undefined) a.avg = -0;
    expect(programs.map((p) => fillPayload(p, values(interval)))).toEqual(engineBodies(site, interval));
  });
});

/** The vector the C++ payload tests read (see docs/firmware-codegen.md, "Payload vectors"). */
function vector(c: (typeof CASES)[number]) {
  const site = loadSiteOrThrow(sitePath(c.site));
  const { data, programs } = compile(site);
  const rowOf = (meterId: string, quantity: string) =>
    data.quantities.find((q) => q.meterId === meterId && q.register.quantity === quantity)!.index;
  return {
    description:
      "Payload vectors: for each interval, the aggregates of every quantity row (absent fields = missing) and " +
      "the serial numbers read, in; every payload program's text, out. Generated by test/codegen/payload.test.ts " +
      "(UPDATE_GOLDEN=1) from the site below; its site_config.h is test/codegen/golden/<case>/include/site_config.h.",
    case: c.name,
    site: c.site,
    siteConfig: `test/codegen/golden/${c.name}/include/site_config.h`,
    intervals: intervals(site, 11)
      .slice(1)
      .map((interval) => ({
        start: interval.start,
        end: interval.end,
        aggregates: interval.aggregates.map(
          ({ meterId, quantity, start: _s, end: _e, unit: _u, ...rest }) => ({
            quantity: rowOf(meterId, quantity),
            meterId,
            name: quantity,
            ...rest,
          }),
        ),
        identities: [...interval.identities.entries()]
          .filter(([, value]) => value !== undefined)
          .map(([meterId, value]) => ({
            quantity: rowOf(meterId, "serial_number"),
            meterId,
            text: String(value),
          })),
        payloads: programs.map((p, i) => ({
          program: i,
          meterId: p.meterId,
          text: fillPayload(p, values(interval)),
        })),
      })),
  };
}

describe("payload vectors for the C++ payload writer", () => {
  for (const c of CASES) {
    it(`test/vectors/payload-${c.name}.json is up to date`, () => {
      const file = join(packageRoot, "test", "vectors", `payload-${c.name}.json`);
      const text = JSON.stringify(vector(c), null, 1) + "\n";
      if (UPDATE_GOLDEN) writeFileSync(file, text);
      expect(readFileSync(file, "utf8"), "run UPDATE_GOLDEN=1 npx vitest run test/codegen").toBe(text);
    });
  }
});
