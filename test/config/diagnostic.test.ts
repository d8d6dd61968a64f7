import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  formatDiagnostic,
  formatPath,
  loadSiteOrThrow,
  severityOf,
} from "../../engine/config/index.js";
import { closestMatch } from "../../engine/config/did-you-mean.js";
import { slugify } from "../../engine/config/slug.js";

describe("diagnostics", () => {
  it("formatPath writes JSON paths the way a reader names them", () => {
    expect(formatPath(["meters", 3, "unitId"])).toBe("meters[3].unitId");
    expect(formatPath(["upload", "headers", "X-Api-Key"])).toBe('upload.headers["X-Api-Key"]');
    expect(formatPath([])).toBe("");
  });

  it("formatDiagnostic: file relative to cwd, line:col, path, message, hint, code", () => {
    const text = formatDiagnostic(
      {
        code: "SCHEMA_E_UNKNOWN_KEY",
        severity: "error",
        file: "/srv/x/sites/a.yaml",
        line: 3,
        column: 5,
        path: "meters[0].unitID",
        message: 'unknown key "unitID"',
        hint: 'did you mean "unitId"?',
      },
      "/srv/x",
    );
    expect(text).toBe(
      'sites/a.yaml:3:5 meters[0].unitID: unknown key "unitID"; did you mean "unitId"? [SCHEMA_E_UNKNOWN_KEY]',
    );
    const outside = formatDiagnostic(
      {
        code: "CONFIG_E_EMPTY",
        severity: "error",
        file: "/elsewhere/b.yaml",
        line: 1,
        column: 1,
        path: "",
        message: "file is empty",
      },
      "/srv/x",
    );
    expect(outside).toBe("/elsewhere/b.yaml:1:1 file is empty [CONFIG_E_EMPTY]");
  });

  it("severity follows the code", () => {
    expect(severityOf("SITE_W_UNVERIFIED_PROFILE")).toBe("warning");
    expect(severityOf("SITE_E_DUPLICATE_UNIT_ID")).toBe("error");
  });

  it("did you mean: near misses only", () => {
    expect(closestMatch("unitID", ["id", "unitId", "profile"])).toBe("unitId");
    expect(closestMatch("baudrate", ["baudRate", "parity"])).toBe("baudRate");
    expect(closestMatch("colour", ["id", "name", "profile", "unitId"])).toBeUndefined();
    expect(closestMatch("x", [])).toBeUndefined();
  });

  it("slugify makes file names of vendors and models", () => {
    expect(slugify("Carlo Gavazzi")).toBe("carlo-gavazzi");
    expect(slugify("ME631 TCP")).toBe("me631-tcp");
    expect(slugify("  DTSU666 (H) ")).toBe("dtsu666-h");
  });

  it("loadSiteOrThrow throws a ConfigError listing every problem", () => {
    const file = join(import.meta.dirname, "../fixtures/bad/misspelt-keys.yaml");
    let caught: unknown;
    try {
      loadSiteOrThrow(file, { profilesDir: join(import.meta.dirname, "../fixtures/good/profiles") });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.code).toBe("CONFIG_E_INVALID");
    expect(error.name).toBe("ConfigError");
    expect(error.diagnostics).toHaveLength(3);
    expect(error.message.split("\n")).toHaveLength(3);
    expect(error.message).toContain('did you mean "pollClasses"?');
  });
});

describe("docs/configuration.md", () => {
  it("explains every code the config layer can report", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const dir = join(import.meta.dirname, "../../engine/config");
    const source = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .join("\n");
    const codes = new Set(
      source.match(/"(SCHEMA|SITE|PROFILE|CONFIG|YAML|SECRET)_[EW]_[A-Z_]+"/g)?.map((c) => c.slice(1, -1)),
    );
    expect(codes.size).toBeGreaterThan(40);
    const docs = readFileSync(join(import.meta.dirname, "../../docs/configuration.md"), "utf8");
    const documented = new Set([...docs.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));
    expect([...codes].filter((code) => !documented.has(code))).toEqual([]);
  });
});
