// What the docs tests read out of Markdown: the pages, their links, the `ampx` commands and flags they
// show, and the config keys they name in `key:` form. Small parsers with one job each.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export interface Page {
  /** Relative to the repository root, e.g. docs/install.md. */
  file: string;
  text: string;
}

/** Every .md file below `dir` (relative to `root`), sorted. */
export function markdownPages(root: string, dir: string): Page[] {
  const pages: Page[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".md"))
        pages.push({ file: relative(root, path), text: readFileSync(path, "utf8") });
    }
  };
  walk(join(root, dir));
  return pages.sort((a, b) => a.file.localeCompare(b.file));
}

/** Targets of Markdown links `[text](target)`, without #fragments; external links left out. */
export function localLinks(text: string): string[] {
  const links: string[] = [];
  for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1]!;
    if (/^[a-z]+:/i.test(target) || target.startsWith("#")) continue;
    links.push(target.split("#")[0]!);
  }
  return links;
}

/** The code of a page: fenced blocks (continuation lines joined) and inline code spans. */
export function codeSegments(text: string): string[] {
  const segments: string[] = [];
  const fence = /^(```|~~~)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm;
  for (const match of text.matchAll(fence)) segments.push(match[2]!.replace(/\\\n\s*/g, " "));
  const prose = text.replace(fence, "");
  for (const match of prose.matchAll(/(`+)([^`]+?)\1/g)) segments.push(match[2]!);
  // Indented code blocks (four spaces after a blank line) hold commands too.
  for (const match of prose.matchAll(/(?:^|\n\n)((?: {4}[^\n]*\n?)+)/g)) segments.push(match[1]!);
  return segments;
}

export interface CommandUse {
  command: string;
  flags: string[];
  /** The code it was found in, for the failure message. */
  context: string;
}

/** `ampx <command> … --flag …` (also `npx ampx`, `node bin/ampx.js`) in code segments. */
export function commandUses(segments: readonly string[]): CommandUse[] {
  const uses: CommandUse[] = [];
  for (const segment of segments) {
    for (const line of segment.split("\n")) {
      for (const match of line.matchAll(
        /(?<=^|[\s`'"(;|&$])(?:ampx|bin\/ampx\.js)[ \t]+(?=([a-z][a-z0-9-]*)([^\n]*))/g,
      )) {
        const command = match[1]!;
        // The lookahead leaves the rest of the line unconsumed: `sudo -u ampx ampx validate` matches twice,
        // and the second match is the command.
        if (command === "ampx") continue;
        // `install -g ampx deploy/…`, `sudo -u ampx …`: ampx as an option's value (a user or group name).
        const before = line.slice(0, match.index).trim().split(/\s+/).pop() ?? "";
        if (before.startsWith("-")) continue;
        const rest = match[2]!.split(/\s(?:\||&&|;|\|\||>|2>)\s/)[0]!;
        const flags = [...rest.matchAll(/(?:^|\s)(--[a-z][a-z0-9-]*)/g)].map((m) => m[1]!);
        uses.push({ command, flags, context: line.trim() });
      }
    }
  }
  return uses;
}

/** `key:` or `key: value` (also `a.b.c:`) in inline code: config keys as a reader would type them. */
export function keyMentions(segments: readonly string[]): string[] {
  const keys: string[] = [];
  for (const segment of segments) {
    if (segment.includes("\n")) continue; // fenced blocks are examples, not key mentions
    const match = /^([a-z][A-Za-z0-9_]*(?:\.[a-z][A-Za-z0-9_]*)*):(?:\s|$)/.exec(segment.trim());
    if (match) keys.push(match[1]!);
  }
  return keys;
}

/**
 * Every property name any schema in `dir` defines (at any depth), and `extra` names that are keys of
 * user-named mappings a reader meets in every site (the default poll classes).
 */
export function schemaKeys(dir: string, extra: readonly string[] = []): Set<string> {
  const keys = new Set<string>(extra);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "properties" && value !== null && typeof value === "object") {
          for (const name of Object.keys(value)) keys.add(name);
        }
        visit(value);
      }
    }
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    visit(JSON.parse(readFileSync(join(dir, file), "utf8")));
  }
  return keys;
}

/** Commands and their flags from commander's help text. */
export function helpCommands(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1] ?? "";
  return [...section.matchAll(/^ {2}([a-z][a-z0-9-]*)/gm)].map((m) => m[1]!);
}

export function helpFlags(help: string): Set<string> {
  return new Set([...help.matchAll(/(?:^|[\s,])(--[a-z][a-z0-9-]*)/gm)].map((m) => m[1]!));
}
