// The dashboard's files: everything under engine/web/public plus uPlot's browser build, read once at start,
// gzipped once, served with ETags. Only files found at start are served, so no request path ever reaches
// the file system (no traversal to worry about).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { packageRoot } from "../paths.js";

export interface StaticFile {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

export const publicDir = join(packageRoot, "engine", "web", "public");

/** URL path → file, for public/ (index.html also at "/") and /vendor/uPlot.*. */
export function loadStaticFiles(dir = publicDir): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const file of walk(dir)) {
    const url = "/" + relative(dir, file).split(sep).join("/");
    files.set(url, load(file));
  }
  const index = files.get("/index.html");
  if (index) files.set("/", index);
  const uplotDir = dirname(createRequire(import.meta.url).resolve("uplot"));
  files.set("/vendor/uPlot.iife.min.js", load(join(uplotDir, "uPlot.iife.min.js")));
  files.set("/vendor/uPlot.min.css", load(join(uplotDir, "uPlot.min.css")));
  return files;
}

function load(file: string): StaticFile {
  const body = readFileSync(file);
  const type = TYPES[extname(file)] ?? "application/octet-stream";
  const compressible = type.startsWith("text/") || type.includes("json") || type.includes("svg");
  const gzip = compressible && body.length > 512 ? gzipSync(body, { level: 9 }) : null;
  const etag = '"' + createHash("sha1").update(body).digest("base64url").slice(0, 20) + '"';
  return { body, gzip, type, etag };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}
