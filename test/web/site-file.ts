// A real site YAML in a temp directory (with comments, a literal web token and upload secrets), loaded with
// the real config loader, for the config-edit and browser tests.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSiteOrThrow } from "../../engine/config/index.js";
import type { ResolvedSite } from "../../engine/model.js";

export const WEB_TOKEN = "web-token-Zq81";
export const WEB_PASSWORD = "pa55-w0rd-Kx2";
export const UPLOAD_TOKEN = "upload-token-Ty77";

export function siteYaml(meterNames: Record<string, string> = {}): string {
  const name = (id: string, fallback: string): string => JSON.stringify(meterNames[id] ?? fallback);
  return `# Test site for the dashboard: the comments must survive an edit.
id: web-test
name: Web test site
timezone: Africa/Johannesburg

transport:
  type: tcp # meters on the LAN
  responseTimeout: 500ms

# How often each class is read.
pollClasses:
  live: { interval: 1s } # fast for the dashboard
  energy:
    interval: 10s

meters:
  # The main board.
  - id: main
    name: ${name("main", "Main incomer")}
    profile: meatrol/mp440
    host: 127.0.0.1
    port: 15020
  - id: hvac
    name: ${name("hvac", "HVAC plant")} # trailing comment
    profile: meatrol/mp440
    host: 127.0.0.1
    port: 15021
  - id: kitchen
    name: ${name("kitchen", "Kitchen DB")}
    profile: meatrol/mp440
    host: 127.0.0.1
    port: 15022

upload:
  url: https://energy.example.com/api/v1/intervals?key=${UPLOAD_TOKEN}
  interval: 15m # aligned to the UTC wall clock
  auth:
    type: bearer
    token: "${UPLOAD_TOKEN}"

web:
  port: 0
  bind: 127.0.0.1
  auth:
    token: "${WEB_TOKEN}"
    username: admin
    password: "${WEB_PASSWORD}"
`;
}

export interface SiteFile {
  dir: string;
  file: string;
  site: ResolvedSite;
  cleanup(): void;
}

export function writeSiteFile(text = siteYaml()): SiteFile {
  const dir = mkdtempSync(join(tmpdir(), "ampx-web-"));
  const file = join(dir, "site.yaml");
  writeFileSync(file, text);
  return {
    dir,
    file,
    site: loadSiteOrThrow(file),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
