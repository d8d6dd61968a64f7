// The documentation set: the generated reference is current, every page is linked from the README, links
// resolve, and no page shows an `ampx` command, flag or config key that does not exist.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLL_CLASSES } from "../../engine/config/defaults.js";
import { generateDocs } from "../../engine/docs-gen/index.js";
import {
  codeSegments,
  commandUses,
  helpCommands,
  helpFlags,
  keyMentions,
  localLinks,
  markdownPages,
  schemaKeys,
} from "./docs-check.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin/ampx.js");
const pages = markdownPages(root, "docs");

function help(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [bin, ...args, "--help"], { timeout: 60_000 }, (error, stdout) =>
      error ? fail(error) : done(stdout),
    );
  });
}

describe("generated reference", () => {
  it.each([...generateDocs()])("%s is current (npm run docs)", (file, content) => {
    expect(existsSync(join(root, file)), `${file} missing: run npm run docs`).toBe(true);
    expect(readFileSync(join(root, file), "utf8") === content, `${file} is stale: run npm run docs`).toBe(
      true,
    );
  });

  it("documents every site and profile key the schemas define", () => {
    const reference = readFileSync(join(root, "docs/reference/site.md"), "utf8");
    for (const key of [
      "baudRate",
      "turnaroundDelay",
      "pollClasses",
      "unitId",
      "retryDelayMax",
      "sampleRetention",
    ]) {
      expect(reference).toContain(`| \`${key}\``);
    }
    const profile = readFileSync(join(root, "docs/reference/profile.md"), "utf8");
    for (const key of ["wordOrder", "evenAlignment", "noReadAcross", "sentinels", "caveats"]) {
      expect(profile).toContain(`| \`${key}\``);
    }
  });
});

describe("docs pages", () => {
  it("has pages", () => {
    expect(pages.map((p) => p.file)).toEqual(
      expect.arrayContaining([
        "docs/architecture.md",
        "docs/install.md",
        "docs/troubleshooting.md",
        "docs/changelog.md",
      ]),
    );
  });

  it("links every page from the README", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const linked = new Set(localLinks(readme).map((l) => resolve(root, l)));
    const missing = pages.map((p) => p.file).filter((file) => !linked.has(resolve(root, file)));
    expect(missing, "pages not linked from README.md").toEqual([]);
  });

  it("has no broken relative links", () => {
    const broken: string[] = [];
    for (const page of [
      ...pages,
      { file: "README.md", text: readFileSync(join(root, "README.md"), "utf8") },
    ]) {
      for (const link of localLinks(page.text)) {
        if (link !== "" && !existsSync(resolve(root, dirname(page.file), link)))
          broken.push(`${page.file} → ${link}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("names only config keys the schemas define", () => {
    const keys = schemaKeys(join(root, "schema"), Object.keys(DEFAULT_POLL_CLASSES));
    const unknown: string[] = [];
    for (const page of pages) {
      for (const key of keyMentions(codeSegments(page.text))) {
        for (const part of key.split(".")) if (!keys.has(part)) unknown.push(`${page.file}: \`${key}:\``);
      }
    }
    expect(unknown).toEqual([]);
  });
});

describe("ampx commands and flags in the docs", () => {
  let commands: string[];
  const flags = new Map<string, Set<string>>();

  beforeAll(async () => {
    const root = await help([]);
    commands = helpCommands(root);
    const uses = new Set(pages.flatMap((p) => commandUses(codeSegments(p.text)).map((u) => u.command)));
    const known = [...uses].filter((c) => commands.includes(c));
    const texts = await Promise.all(known.map((c) => help([c])));
    known.forEach((c, i) => flags.set(c, new Set([...helpFlags(texts[i]!), ...helpFlags(root)])));
  }, 120_000);

  it("the CLI lists its commands", () => {
    expect(commands).toEqual(expect.arrayContaining(["validate", "probe", "budget"]));
  });

  it("every `ampx <command> --flag` in docs/*.md exists", () => {
    const problems: string[] = [];
    for (const page of pages) {
      for (const use of commandUses(codeSegments(page.text))) {
        if (!commands.includes(use.command)) {
          problems.push(`${page.file}: no command "ampx ${use.command}" (in: ${use.context})`);
          continue;
        }
        for (const flag of use.flags) {
          if (!flags.get(use.command)!.has(flag))
            problems.push(`${page.file}: ampx ${use.command} has no ${flag} (in: ${use.context})`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
