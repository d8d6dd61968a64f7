// Golden files of the generated project for the example sites (UPDATE_GOLDEN=1 refreshes them), the
// determinism of the output, and the copies of the firmware sources a project carries.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  firmwareDir,
  generateFirmwareProject,
  MANIFEST,
  writeFirmwareProject,
} from "../../engine/codegen/project.js";
import { CASES, GENERATED_FILES, goldenDir, sitePath, UPDATE_GOLDEN } from "./cases.js";

const scratch = mkdtempSync(join(tmpdir(), "ampx-codegen-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("ampx firmware golden projects", () => {
  for (const c of CASES) {
    describe(`${c.name} (${c.site}: ${c.about})`, () => {
      const project = generateFirmwareProject(sitePath(c.site));

      for (const file of GENERATED_FILES) {
        it(`${file} matches test/codegen/golden/${c.name}/${file}`, () => {
          const golden = join(goldenDir(c.name), file);
          const content = project.files.get(file);
          expect(content).toBeDefined();
          if (UPDATE_GOLDEN) {
            mkdirSync(dirname(golden), { recursive: true });
            writeFileSync(golden, content!);
          }
          expect(existsSync(golden), "run UPDATE_GOLDEN=1 npx vitest run test/codegen").toBe(true);
          expect(content).toBe(readFileSync(golden, "utf8"));
        });
      }

      it("is byte-identical when generated again", () => {
        const again = generateFirmwareProject(sitePath(c.site));
        expect([...again.files.entries()]).toEqual([...project.files.entries()]);
      });

      it("carries exact copies of the core, the site types and the platform sources", () => {
        const copies = [...project.files.keys()].filter(
          (f) => !(GENERATED_FILES as readonly string[]).includes(f),
        );
        expect(copies).toContain("include/ampx_site_types.h");
        expect(copies).toContain("lib/ampx_core/library.json");
        expect(copies.some((f) => f.startsWith("lib/ampx_core/src/") && f.endsWith(".cpp"))).toBe(true);
        for (const file of copies) {
          expect(project.files.get(file), file).toBe(readFileSync(join(firmwareDir, file), "utf8"));
        }
      });

      it("names the environments, pins and pinned versions in platformio.ini", () => {
        const ini = project.files.get("platformio.ini")!;
        const transport = project.site.transport;
        expect(ini).toContain(`default_envs = ${transport.type === "rtu" ? "esp32-rs485" : "esp32-w5500"}`);
        for (const env of ["[env:esp32-rs485]", "[env:esp32-w5500]", "[env:native]"])
          expect(ini).toContain(env);
        expect(ini).toMatch(/platform = platformio\/espressif32 @ \d+\.\d+\.\d+\n/);
        expect(ini).toContain("board = esp32dev");
        for (const line of ini.split("\n").filter((l) => /^ {4}[\w-]+\/[\w-]+ @/.test(l))) {
          expect(line, "lib_deps pinned to an exact version").toMatch(/ @ \d+\.\d+\.\d+$/);
        }
        if (transport.type === "rtu") {
          expect(ini).toContain(`-DAMPX_RS485_BAUD=${transport.baudRate}`);
          expect(ini).toContain("-DAMPX_RS485_DE_RE_PIN=4");
        }
        expect(ini).toContain("-DAMPX_W5500_CS_PIN=5");
        const buffer = Number(/AMPX_PAYLOAD_BUFFER_SIZE=(\d+)/.exec(ini)?.[1]);
        expect(buffer).toBeGreaterThanOrEqual(Math.max(...project.programs.map((p) => p.maxLength)));
      });

      it("references secrets by name and never writes a secret's value", () => {
        const header = project.files.get("include/site_config.h")!;
        const auth = project.site.upload?.auth;
        if (auth?.type === "bearer") {
          expect(header).toContain(
            `.auth_secret = {.source = ampx::SecretSource::env, .name = "${/\$\{env:(\w+)\}/.exec(auth.token)![1]}", .literal = nullptr }`,
          );
        }
        expect(header).not.toContain("${env:");
      });
    });
  }

  it("writes the project to a folder and removes files an earlier generation wrote", () => {
    const out = join(scratch, "project");
    const project = generateFirmwareProject(sitePath("sites/ampx-portal.yaml"));
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, MANIFEST), "lib/ampx_core/src/stale.cpp\n");
    mkdirSync(join(out, "lib/ampx_core/src"), { recursive: true });
    writeFileSync(join(out, "lib/ampx_core/src/stale.cpp"), "// from an older core\n");
    writeFileSync(join(out, "notes.txt"), "the user's own file\n");
    writeFirmwareProject(project, out);
    expect(existsSync(join(out, "lib/ampx_core/src/stale.cpp"))).toBe(false);
    expect(existsSync(join(out, "notes.txt"))).toBe(true);
    for (const [file, content] of project.files) expect(readFileSync(join(out, file), "utf8")).toBe(content);
    expect(readFileSync(join(out, MANIFEST), "utf8").trim().split("\n")).toEqual([...project.files.keys()]);
  });
});
