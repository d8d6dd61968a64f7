// The generated site_config.h is valid C++ for the core: compiled with g++ -std=c++17 -Wall -Wextra
// -Werror together with lib/ampx_core, the core's validate_site accepts it, and the core's payload
// writer, fed the intervals of test/vectors/payload-<case>.json, writes exactly the payloads the
// engine renders. Also compiled for a 32-bit target (arm-none-eabi-g++, standing in for the ESP32's
// Xtensa compiler), where the struct sizes must be those budget.ts estimates with.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROW_BYTES } from "../../engine/codegen/budget.js";
import { cppDouble, cppString } from "../../engine/codegen/cpp.js";
import { generateFirmwareProject, writeFirmwareProject } from "../../engine/codegen/project.js";
import { packageRoot } from "../../engine/paths.js";
import { CASES, sitePath } from "./cases.js";

const exec = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), "ampx-codegen-cpp-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FLAGS = [
  "-std=c++17",
  "-Wall",
  "-Wextra",
  "-Werror",
  "-fno-exceptions",
  "-fno-rtti",
  "-ffp-contract=off",
];

interface VectorAggregate {
  quantity: number;
  count: number;
  badCount: number;
  coverage: number;
  quality: string;
  avg?: number;
  min?: number;
  max?: number;
  first?: number;
  last?: number;
  delta?: number;
  reset?: boolean;
}
interface Vector {
  intervals: {
    start: number;
    end: number;
    aggregates: VectorAggregate[];
    identities: { quantity: number; text: string }[];
    payloads: { program: number; text: string }[];
  }[];
}

const num = (v: number | undefined) => (v === undefined ? "NAN" : cppDouble(v));

/** A C++ program that renders every program of every vector interval and compares with the expected text. */
function payloadCheck(vector: Vector): string {
  const intervals = vector.intervals.map((interval, i) => {
    const aggs = interval.aggregates
      .map(
        (a) =>
          `    {${a.quantity}, {.count = ${a.count}, .bad_count = ${a.badCount}, .coverage = ${cppDouble(a.coverage)}, ` +
          `.quality = ampx::IntervalQuality::${a.quality}, .avg = ${num(a.avg)}, .min = ${num(a.min)}, .max = ${num(a.max)}, ` +
          `.first = ${num(a.first)}, .last = ${num(a.last)}, .delta = ${num(a.delta)}, .reset = ${a.reset === true}}},`,
      )
      .join("\n");
    const idents = interval.identities
      .map((d) => `    {${d.quantity}, ${cppString(d.text)}, ${Buffer.byteLength(d.text)}},`)
      .join("\n");
    const payloads = interval.payloads
      .map((p) => `    {${p.program}, ${cppString(p.text)}, ${Buffer.byteLength(p.text)}},`)
      .join("\n");
    return `const Agg kAggs${i}[] = {\n${aggs}\n    {0xFFFF, {}}};
const Ident kIdents${i}[] = {\n${idents}\n    {0xFFFF, nullptr, 0}};
const Expected kPayloads${i}[] = {\n${payloads}\n};
const Interval kInterval${i} = {${interval.start}LL, ${interval.end}LL, kAggs${i}, kIdents${i}, kPayloads${i}, ${interval.payloads.length}};`;
  });
  return `#include <cmath>
#include <cstdio>
#include <cstring>
#include "site_config.h"
#include "ampx_payload.h"
#include "ampx_site.h"

namespace {
struct Agg { std::uint16_t quantity; ampx::AggregateResult result; };
struct Ident { std::uint16_t quantity; const char* text; std::size_t length; };
struct Expected { std::uint8_t program; const char* text; std::size_t length; };
struct Interval { std::int64_t start; std::int64_t end; const Agg* aggs; const Ident* idents; const Expected* payloads; std::size_t payload_count; };

class View final : public ampx::IntervalView {
 public:
  explicit View(const Interval& i) : i_(i) {}
  std::int64_t start_ms() const override { return i_.start; }
  std::int64_t end_ms() const override { return i_.end; }
  bool aggregate(std::size_t quantity, ampx::AggregateResult* result) const override {
    for (const Agg* a = i_.aggs; a->quantity != 0xFFFF; ++a) {
      if (a->quantity == quantity) { *result = a->result; return true; }
    }
    return false;
  }
  bool identity(std::size_t quantity, const char** text, std::size_t* length) const override {
    for (const Ident* d = i_.idents; d->quantity != 0xFFFF; ++d) {
      if (d->quantity == quantity) { *text = d->text; *length = d->length; return true; }
    }
    return false;
  }
 private:
  const Interval& i_;
};

${intervals.join("\n\n")}

const Interval* const kIntervals[] = {${vector.intervals.map((_, i) => `&kInterval${i}`).join(", ")}};
char buffer[ampx::kPayloadBufferSize];
}  // namespace

int main() {
  const ampx::SiteCheck check = ampx::validate_site(ampx::site::kSite);
  if (check.error != ampx::SiteError::ok) {
    std::printf("validate_site: %s\\n", ampx::site_error_name(check.error));
    return 1;
  }
  int failures = 0;
  int payloads = 0;
  for (const Interval* interval : kIntervals) {
    const View view(*interval);
    for (std::size_t p = 0; p < interval->payload_count; ++p) {
      const Expected& e = interval->payloads[p];
      const ampx::RenderResult r = ampx::render_payload(ampx::site::kSite, ampx::site::kPrograms[e.program], view, buffer, sizeof buffer);
      ++payloads;
      if (r.overflow || r.length != e.length || std::memcmp(buffer, e.text, e.length) != 0) {
        std::size_t at = 0;
        while (at < r.length && at < e.length && buffer[at] == e.text[at]) ++at;
        std::printf("interval %lld program %u differs at byte %zu: got \\"%.60s\\" want \\"%.60s\\"\\n",
                    static_cast<long long>(interval->start), e.program, at, buffer + at, e.text + at);
        ++failures;
      }
    }
  }
  std::printf("%d payloads, %d differ\\n", payloads, failures);
  return failures == 0 ? 0 : 1;
}
`;
}

function bufferFlag(ini: string): string {
  return `-DAMPX_PAYLOAD_BUFFER_SIZE=${/AMPX_PAYLOAD_BUFFER_SIZE=(\d+)/.exec(ini)![1]}`;
}

describe("the generated header compiles with the core", () => {
  for (const c of CASES) {
    it(`${c.name}: g++ -Werror, validate_site, and the core writes the vector payloads byte for byte`, async () => {
      const dir = join(scratch, c.name);
      const project = generateFirmwareProject(sitePath(c.site));
      writeFirmwareProject(project, dir);
      const vector = JSON.parse(
        readFileSync(join(packageRoot, "test", "vectors", `payload-${c.name}.json`), "utf8"),
      ) as Vector;
      writeFileSync(join(dir, "check.cpp"), payloadCheck(vector));
      const core = readdirSync(join(dir, "lib/ampx_core/src"))
        .filter((f) => f.endsWith(".cpp"))
        .map((f) => join(dir, "lib/ampx_core/src", f));
      const binary = join(dir, "check");
      await exec(
        "g++",
        [
          ...FLAGS,
          bufferFlag(project.files.get("platformio.ini")!),
          "-I",
          join(dir, "include"),
          "-I",
          join(dir, "lib/ampx_core/src"),
          join(dir, "check.cpp"),
          ...core,
          "-o",
          binary,
        ],
        { maxBuffer: 1 << 24 },
      );
      const { stdout } = await exec(binary).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
      expect(stdout.trim()).toBe(
        `${vector.intervals.reduce((n, i) => n + i.payloads.length, 0)} payloads, 0 differ`,
      );
    }, 120_000);
  }

  // scripts/system-deps.sh installs arm-none-eabi-g++; without it this one test is reported as skipped.
  it.skipIf(!existsSync("/usr/bin/arm-none-eabi-g++"))(
    "compiles for a 32-bit target with the struct sizes budget.ts estimates with",
    async () => {
      const dir = join(scratch, "arm");
      const project = generateFirmwareProject(sitePath("sites/tcp-plant.yaml"));
      writeFirmwareProject(project, dir);
      const sizes = Object.entries({
        PollClassConfig: ROW_BYTES.pollClass,
        MeterConfig: ROW_BYTES.meter,
        BlockConfig: ROW_BYTES.block,
        QuantityConfig: ROW_BYTES.quantity,
        HeaderConfig: ROW_BYTES.header,
        PayloadChunk: ROW_BYTES.chunk,
        PayloadSlot: ROW_BYTES.slot,
        PayloadProgram: ROW_BYTES.program,
        SiteConfig: ROW_BYTES.site,
      })
        .map(([type, bytes]) => `static_assert(sizeof(ampx::${type}) == ${bytes}, "${type}");`)
        .join("\n");
      writeFileSync(
        join(dir, "sizes.cpp"),
        `#include "site_config.h"\n${sizes}\nconst ampx::SiteConfig* site() { return &ampx::site::kSite; }\n`,
      );
      await exec("arm-none-eabi-g++", [
        ...FLAGS,
        "-Os",
        "-mcpu=cortex-m4",
        "-mthumb",
        bufferFlag(project.files.get("platformio.ini")!),
        "-I",
        join(dir, "include"),
        "-I",
        join(dir, "lib/ampx_core/src"),
        "-c",
        join(dir, "sizes.cpp"),
        "-o",
        join(dir, "sizes.o"),
      ]);
      expect(existsSync(join(dir, "sizes.o"))).toBe(true);
    },
    120_000,
  );
});
