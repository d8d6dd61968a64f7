// Changes a few safe settings of a site file from the dashboard, the way a careful person would by hand:
// edit the YAML in place (yaml's Document API keeps comments and layout), check the result with the same
// loader as `ampx validate`, keep the previous file as <file>.bak, and replace the file atomically
// (temp file in the same directory + rename), so a crash leaves either the old or the new file, never half.
import { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { basename, dirname, join } from "node:path";
import { isMap, isSeq, parseDocument, type Document } from "yaml";
import { formatDuration, loadSite, redactSecrets, type Diagnostic, type SiteLoad } from "../config/index.js";
import { secretFields } from "../config/secrets.js";
import type { ResolvedSite, Site } from "../model.js";
import { redactUrl } from "../web/redact-url.js";
import type {
  ConfigApplyResult,
  ConfigChange,
  ConfigEditor,
  ConfigProblem,
  ConfigView,
} from "../web/sources.js";

export interface SiteConfigEditorOptions {
  /** Where profiles are (passed to loadSite). @default the package's profiles/ */
  profilesDir?: string;
  /** Environment for ${env:…} checks (passed to loadSite). @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** The event the integrator acts on after a change was written: restart polling/upload with `site`. */
export interface ConfigChangedEvent {
  site: ResolvedSite;
  previous: ResolvedSite;
  change: ConfigChange;
}

/** Emits "config-changed"(event: ConfigChangedEvent) after every successful apply. */
export class SiteConfigEditor extends EventEmitter implements ConfigEditor {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private current: ResolvedSite,
    private readonly options: SiteConfigEditorOptions = {},
  ) {
    super();
  }

  get site(): ResolvedSite {
    return this.current;
  }

  async view(): Promise<ConfigView> {
    const text = await fs.readFile(this.current.file, "utf8");
    const doc = parseDocument(text);
    const site = this.current;
    const upload = site.upload;
    return {
      file: basename(site.file),
      yaml: doc.errors.length === 0 ? redactedYaml(doc) : "(the file does not parse; run ampx validate)",
      editable: {
        meters: site.meters.map((m) => ({ id: m.id, name: m.name })),
        pollClasses: Object.fromEntries(
          Object.entries(site.pollClasses).map(([name, c]) => [name, formatDuration(c.intervalMs)]),
        ),
        upload: upload ? { url: redactUrl(upload.url), interval: formatDuration(upload.intervalMs) } : null,
      },
    };
  }

  /** Applies one change at a time (changes queue up; each sees the file the previous one wrote). */
  apply(change: ConfigChange): Promise<ConfigApplyResult> {
    const run = this.queue.then(() => this.applyNow(change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(change: ConfigChange): Promise<ConfigApplyResult> {
    const file = this.current.file;
    const text = await fs.readFile(file, "utf8");
    const doc = parseDocument(text);
    if (doc.errors.length > 0) {
      return {
        ok: false,
        problems: [problem("EDIT_E_UNPARSABLE", "", "the site file does not parse as YAML")],
      };
    }
    const problems = editDocument(doc, change, this.current);
    if (problems.length > 0) return { ok: false, problems };

    const next = doc.toString();
    const stat = await fs.stat(file);
    const temp = tempName(file);
    await writeSynced(temp, next, stat.mode);
    let load: SiteLoad;
    try {
      load = loadSite(temp, {
        ...(this.options.profilesDir !== undefined ? { profilesDir: this.options.profilesDir } : {}),
        ...(this.options.env !== undefined ? { env: this.options.env } : {}),
      });
    } catch (err) {
      await fs.rm(temp, { force: true });
      throw err;
    }
    const errors = load.diagnostics.filter((d) => d.severity === "error");
    if (!load.site || errors.length > 0) {
      await fs.rm(temp, { force: true });
      return { ok: false, problems: errors.map(toProblem) };
    }
    // The previous file as .bak (itself written atomically), then the new file into place.
    const bakTemp = tempName(file + ".bak");
    await writeSynced(bakTemp, text, stat.mode);
    await fs.rename(bakTemp, file + ".bak");
    await fs.rename(temp, file);
    await syncDir(dirname(file));

    // Validated under the temp name; everything it resolved is relative to the same directory.
    const site: ResolvedSite = { ...load.site, file };
    const previous = this.current;
    this.current = site;
    this.emit("config-changed", { site, previous, change } satisfies ConfigChangedEvent);
    return {
      ok: true,
      site,
      warnings: load.diagnostics.filter((d) => d.severity === "warning").map(toProblem),
    };
  }
}

/** Edits the document in place; returns problems for settings that cannot be changed this way. */
export function editDocument(doc: Document, change: ConfigChange, site: ResolvedSite): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (change.meters) {
    const meters = doc.get("meters");
    for (const { id, name } of change.meters) {
      const index = isSeq(meters) ? meters.items.findIndex((m) => isMap(m) && m.get("id") === id) : -1;
      if (index < 0) {
        problems.push(
          problem("EDIT_E_UNKNOWN_METER", "meters", `there is no meter "${id}" in the site file`),
        );
        continue;
      }
      doc.setIn(["meters", index, "name"], name);
    }
  }
  if (change.pollClasses) {
    for (const [name, interval] of Object.entries(change.pollClasses)) {
      if (!(name in site.pollClasses)) {
        problems.push(
          problem(
            "EDIT_E_UNKNOWN_POLL_CLASS",
            `pollClasses.${name}`,
            `there is no poll class "${name}" (known: ${Object.keys(site.pollClasses).join(", ")})`,
          ),
        );
        continue;
      }
      doc.setIn(["pollClasses", name, "interval"], interval);
    }
  }
  if (change.upload) {
    if (!isMap(doc.get("upload"))) {
      problems.push(
        problem("EDIT_E_NO_UPLOAD", "upload", "the site file has no upload section; add it by hand first"),
      );
    } else {
      if (change.upload.url !== undefined) doc.setIn(["upload", "url"], change.upload.url);
      if (change.upload.interval !== undefined) doc.setIn(["upload", "interval"], change.upload.interval);
    }
  }
  return problems;
}

/** The YAML text with every literal secret replaced (references such as ${env:NAME} stay visible). */
export function redactedYaml(doc: Document): string {
  const copy = doc.clone();
  const source = copy.toJS() as Site;
  const redacted = redactSecrets(source);
  for (const field of secretFields(source)) {
    const value = getPath(redacted, field.path);
    if (typeof value === "string" && value !== field.value) copy.setIn(field.path, value);
  }
  const url = source.upload?.url;
  if (typeof url === "string") {
    const safe = redactUrl(url);
    if (safe !== url) copy.setIn(["upload", "url"], safe);
  }
  return copy.toString();
}

function getPath(value: unknown, path: (string | number)[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

function toProblem(d: Diagnostic): ConfigProblem {
  return {
    code: d.code,
    severity: d.severity,
    path: d.path,
    message: d.message,
    line: d.line,
    column: d.column,
    ...(d.hint !== undefined ? { hint: d.hint } : {}),
  };
}

function problem(code: string, path: string, message: string): ConfigProblem {
  return { code, severity: "error", path, message };
}

/** A hidden name next to the file, so the rename stays on one file system (atomic). */
function tempName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

async function writeSynced(file: string, text: string, mode: number): Promise<void> {
  const handle = await fs.open(file, "wx", mode & 0o777);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the renames durable; some file systems cannot open a directory, which is not an error. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
