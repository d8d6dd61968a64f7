// `ampx firmware`: a site file → a self-contained PlatformIO project (platformio.ini, the generated
// include/site_config.h, and copies of the core and platform sources), byte-identical for the same
// inputs: no timestamps, no absolute paths, files and tables in a fixed order.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import Handlebars from "handlebars";
import { loadSite } from "../config/index.js";
import type { Diagnostic } from "../config/diagnostic.js";
import type { ResolvedSite } from "../model.js";
import { packageRoot, templatesDir } from "../paths.js";
import { planMeter } from "../plan/index.js";
import { PLATFORMIO, RS485_PINS, serialConfig, W5500_PINS } from "./board.js";
import { BUDGET, estimateBudget, formatBudget } from "./budget.js";
import type { BudgetEstimate } from "./budget.js";
import { readCoreLimits } from "./core-limits.js";
import type { CoreLimits } from "./core-limits.js";
import { FirmwareError } from "./firmware-error.js";
import { compilePayloadPrograms } from "./payload/compile.js";
import type { PayloadTemplateEnv } from "./payload/compile.js";
import { enginePayloadEnv } from "./payload/engine-env.js";
import type { PayloadProgram } from "./payload/slot.js";
import { siteConfigView } from "./site-config-view.js";
import { buildFirmwareSite, SiteDiagnostics } from "./site-data.js";
import type { FirmwareSite } from "./site-data.js";
import { locateField } from "./yaml-location.js";

export const firmwareDir = join(packageRoot, "firmware");
/** The file listing what the generator wrote, so that a second run removes what it no longer writes. */
export const MANIFEST = ".ampx-generated";

export interface FirmwareOptions {
  /** Where profiles are read from (default: the package's profiles/). */
  profilesDir?: string;
  /** The firmware sources copied into the project (default: the package's firmware/). */
  firmwareDir?: string;
  /** The rendering the payload compiler reuses (default: engine/upload's). */
  payloadEnv?: PayloadTemplateEnv;
  limits?: CoreLimits;
}

export interface FirmwareProject {
  site: ResolvedSite;
  data: FirmwareSite;
  programs: PayloadProgram[];
  budget: BudgetEstimate;
  /** Relative path (with /) → content, sorted by path. */
  files: Map<string, string>;
  /** Warnings (errors throw). */
  diagnostics: Diagnostic[];
}

function renderTemplate(name: string, view: object): string {
  const source = readFileSync(join(templatesDir, "firmware", name), "utf8");
  return Handlebars.create().compile(source, { noEscape: true, strict: true })(view);
}

/** The site file as generated files name it: relative to the package when inside it, else its base name. */
function stableName(file: string): string {
  const rel = relative(packageRoot, file);
  return rel.startsWith("..") || isAbsolute(rel) ? basename(file) : rel.split(sep).join("/");
}

/** Every file below `dir`, as sorted relative paths with "/". */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel === "" ? name : `${rel}/${name}`;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk("");
  return out;
}

/** The sources a generated project carries: the core library, the site types, the platform layers and native.mk. */
function copiedSources(root: string): Map<string, string> {
  const files = new Map<string, string>();
  files.set("include/ampx_site_types.h", readFileSync(join(root, "include", "ampx_site_types.h"), "utf8"));
  const core = join(root, "lib", "ampx_core");
  for (const path of listFiles(core)) {
    if (path === "library.json" || path.startsWith("src/")) {
      files.set(`lib/ampx_core/${path}`, readFileSync(join(core, path), "utf8"));
    }
  }
  for (const path of listFiles(join(root, "src")))
    files.set(`src/${path}`, readFileSync(join(root, "src", path), "utf8"));
  // The native build without PlatformIO (g++ and make), for PCs and the tests.
  if (existsSync(join(root, "native.mk")))
    files.set("native.mk", readFileSync(join(root, "native.mk"), "utf8"));
  return files;
}

/** Generates the project of a site in memory; throws FirmwareError with every problem found. */
export function generateFirmwareProject(siteFile: string, options: FirmwareOptions = {}): FirmwareProject {
  const load = loadSite(
    siteFile,
    options.profilesDir === undefined ? {} : { profilesDir: options.profilesDir },
  );
  if (load.site === undefined) throw new FirmwareError(load.diagnostics);
  const site = load.site;
  const limits = options.limits ?? readCoreLimits();
  const { data, diagnostics } = buildFirmwareSite(site, (profile) => planMeter(profile), limits);
  diagnostics.push(...load.diagnostics.filter((d) => d.severity === "warning"));

  let programs: PayloadProgram[] = [];
  if (site.upload !== undefined && !diagnostics.some((d) => d.severity === "error")) {
    const templateFile = site.upload.templateFile;
    const at = locateField(site.file, ["upload", "template"]);
    const compiled = compilePayloadPrograms({
      site,
      templateFile,
      templateSource: readFileSync(templateFile, "utf8"),
      env: options.payloadEnv ?? enginePayloadEnv(),
      quantities: data.quantities.map((q) => ({
        index: q.index,
        meterIndex: q.meterIndex,
        meterId: q.meterId,
        quantity: q.register.quantity,
        kind: q.register.kind,
        unit: q.register.canonicalUnit,
      })),
      templateField: { file: site.file, ...at },
    });
    programs = compiled.programs;
    diagnostics.push(...compiled.diagnostics);
  }

  const budget = estimateBudget(data, programs, limits);
  const out = new SiteDiagnostics(site);
  if (budget.ram.total > BUDGET.ramBytes) {
    out.add(
      "FIRMWARE_E_RAM_BUDGET",
      ["meters"],
      `the site needs about ${Math.ceil(budget.ram.total / 1024)} KB of RAM; the firmware budget is ${BUDGET.ramBytes / 1024} KB (${formatBudget(data, budget)[1]})`,
      "fewer meters or quantities per gateway, or mode: meter for smaller payloads",
    );
  }
  if (budget.flash.total > BUDGET.flashBytes) {
    out.add(
      "FIRMWARE_E_FLASH_BUDGET",
      ["meters"],
      `the site's tables need about ${Math.ceil(budget.flash.total / 1024)} KB of flash; the budget is ${BUDGET.flashBytes / 1024} KB`,
    );
  }
  diagnostics.push(...out.list);
  if (diagnostics.some((d) => d.severity === "error")) throw new FirmwareError(diagnostics);

  const name = stableName(site.file);
  const transport = site.transport;
  const files = copiedSources(options.firmwareDir ?? firmwareDir);
  files.set(
    "include/site_config.h",
    renderTemplate("site_config.h.hbs", siteConfigView(data, programs, { siteFile: name })),
  );
  files.set(
    "platformio.ini",
    renderTemplate("platformio.ini.hbs", {
      siteFile: name,
      siteId: site.id,
      defaultEnv: transport.type === "rtu" ? "esp32-rs485" : "esp32-w5500",
      transportNote:
        transport.type === "rtu"
          ? `The site's meters are on an RS485 bus (${transport.baudRate} baud): esp32-rs485 is the environment to flash.`
          : "The site's meters speak Modbus TCP: esp32-w5500 is the environment to flash.",
      payloadBufferSize: budget.payloadBufferSize,
      platform: PLATFORMIO.platform,
      board: PLATFORMIO.board,
      framework: PLATFORMIO.framework,
      nativePlatform: PLATFORMIO.nativePlatform,
      libDeps: PLATFORMIO.libDeps,
      rs485: RS485_PINS,
      w5500: W5500_PINS,
      serial:
        transport.type === "rtu"
          ? {
              baudRate: transport.baudRate,
              config: serialConfig(transport.dataBits, transport.parity, transport.stopBits),
            }
          : { baudRate: 9600, config: "SERIAL_8N1" },
    }),
  );
  const sorted = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { site, data, programs, budget, files: sorted, diagnostics };
}

/** Writes a generated project to `outDir`, removing files an earlier generation wrote and this one does not. */
export function writeFirmwareProject(project: FirmwareProject, outDir: string): void {
  const manifest = join(outDir, MANIFEST);
  if (existsSync(manifest)) {
    for (const path of readFileSync(manifest, "utf8").split("\n")) {
      if (path !== "" && !project.files.has(path) && !path.includes(".."))
        rmSync(join(outDir, path), { force: true });
    }
  }
  for (const [path, content] of project.files) {
    const file = join(outDir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  writeFileSync(manifest, [...project.files.keys()].join("\n") + "\n");
}

/** The estimate lines the CLI prints. */
export function budgetLines(project: FirmwareProject): string[] {
  return formatBudget(project.data, project.budget);
}
