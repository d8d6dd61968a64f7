// engine/config-edit: edits keep comments, are validated by the real loader, written atomically with a .bak,
// and announced with "config-changed".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { SiteConfigEditor, type ConfigChangedEvent } from "../../engine/config-edit/index.js";
import { UPLOAD_TOKEN, WEB_PASSWORD, WEB_TOKEN, writeSiteFile, type SiteFile } from "./site-file.js";

let sf: SiteFile | undefined;
afterEach(() => sf?.cleanup());

describe("SiteConfigEditor", () => {
  it("renames a meter, changes poll and upload intervals, keeps every comment and the previous file as .bak", async () => {
    sf = writeSiteFile();
    const before = readFileSync(sf.file, "utf8");
    const editor = new SiteConfigEditor(sf.site);
    const events: ConfigChangedEvent[] = [];
    editor.on("config-changed", (e: ConfigChangedEvent) => events.push(e));

    const result = await editor.apply({
      meters: [{ id: "hvac", name: "Chiller plant" }],
      pollClasses: { live: "3s" },
      upload: { url: "https://new.example.com/ingest", interval: "5m" },
    });
    expect(result.ok).toBe(true);
    const after = readFileSync(sf.file, "utf8");
    for (const comment of before.split("\n").filter((l) => l.includes("#"))) {
      expect(after).toContain(comment.slice(comment.indexOf("#")));
    }
    expect(after).toContain(`name: "Chiller plant" # trailing comment`);
    expect(after).toContain("live: { interval: 3s } # fast for the dashboard");
    expect(after).toContain("url: https://new.example.com/ingest");
    expect(after).toContain("interval: 5m # aligned to the UTC wall clock");
    expect(readFileSync(sf.file + ".bak", "utf8")).toBe(before);
    // No temp files left next to it.
    expect(readdirSync(sf.dir).sort()).toEqual(["site.yaml", "site.yaml.bak"]);

    expect(events).toHaveLength(1);
    const site = events[0]!.site;
    expect(site.file).toBe(sf.file);
    expect(site.meters.find((m) => m.id === "hvac")?.name).toBe("Chiller plant");
    expect(site.pollClasses["live"]?.intervalMs).toBe(3000);
    expect(site.upload?.intervalMs).toBe(300_000);
    expect(events[0]!.previous.meters.find((m) => m.id === "hvac")?.name).toBe("HVAC plant");
    expect(editor.site).toBe(site);
  });

  it("refuses a change the schema rejects and leaves the file untouched (no .bak, no temp file)", async () => {
    sf = writeSiteFile();
    const before = readFileSync(sf.file, "utf8");
    const editor = new SiteConfigEditor(sf.site);
    let changed = 0;
    editor.on("config-changed", () => changed++);
    const result = await editor.apply({ meters: [{ id: "main", name: "x".repeat(81) }] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.path).toBe("meters[0].name");
    expect(readFileSync(sf.file, "utf8")).toBe(before);
    expect(existsSync(sf.file + ".bak")).toBe(false);
    expect(readdirSync(sf.dir)).toEqual(["site.yaml"]);
    expect(changed).toBe(0);
  });

  it("refuses unknown meters and poll classes", async () => {
    sf = writeSiteFile();
    const editor = new SiteConfigEditor(sf.site);
    const result = await editor.apply({ meters: [{ id: "nope", name: "X" }], pollClasses: { turbo: "1s" } });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map((p) => p.code)).toEqual([
        "EDIT_E_UNKNOWN_METER",
        "EDIT_E_UNKNOWN_POLL_CLASS",
      ]);
  });

  it("runs concurrent changes one after the other, each on the file the previous one wrote", async () => {
    sf = writeSiteFile();
    const editor = new SiteConfigEditor(sf.site);
    const results = await Promise.all([
      editor.apply({ meters: [{ id: "main", name: "First" }] }),
      editor.apply({ meters: [{ id: "kitchen", name: "Second" }] }),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const text = readFileSync(sf.file, "utf8");
    expect(text).toContain(`name: "First"`);
    expect(text).toContain(`name: "Second"`);
    expect(readFileSync(sf.file + ".bak", "utf8")).toContain(`name: "First"`);
  });

  it("shows the file with literal secrets and URL keys redacted, references and comments kept", async () => {
    sf = writeSiteFile();
    const view = await new SiteConfigEditor(sf.site).view();
    for (const secret of [WEB_TOKEN, WEB_PASSWORD, UPLOAD_TOKEN])
      expect(JSON.stringify(view)).not.toContain(secret);
    expect(view.yaml).toContain("# The main board.");
    expect(view.yaml).toContain("username: admin");
    expect(view.file).toBe("site.yaml");
    expect(view.editable.meters).toEqual([
      { id: "main", name: "Main incomer" },
      { id: "hvac", name: "HVAC plant" },
      { id: "kitchen", name: "Kitchen DB" },
    ]);
    expect(view.editable.pollClasses).toMatchObject({ live: "1s", energy: "10s", identity: "1h" });
    expect(view.editable.upload).toEqual({
      url: "https://energy.example.com/api/v1/intervals?key=****",
      interval: "15m",
    });
  });
});
