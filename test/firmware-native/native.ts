// Builds the native firmware of a site (ampx firmware, then make -f native.mk, as a user without
// PlatformIO would) and runs it as a child process whose stdout events (JSON lines) tests wait for.
import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { loadSiteOrThrow } from "../../engine/config/index.js";
import { generateFirmwareProject, writeFirmwareProject } from "../../engine/codegen/project.js";
import type { ResolvedSite } from "../../engine/model.js";

const exec = promisify(execFile);

export interface NativeBuild {
  site: ResolvedSite;
  siteFile: string;
  projectDir: string;
  binary: string;
}

/** Writes a site file (the YAML document as an object) into dir. */
export function writeSite(dir: string, body: Record<string, unknown>): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "site.yaml");
  writeFileSync(file, stringify(body));
  return file;
}

/** ampx firmware <site> --out <dir>/project, then make -f native.mk with -Werror. */
export async function buildNative(siteFile: string, dir: string): Promise<NativeBuild> {
  const project = generateFirmwareProject(siteFile);
  const projectDir = join(dir, "project");
  writeFirmwareProject(project, projectDir);
  await exec("make", ["-f", "native.mk", "-j2", "EXTRA_FLAGS=-Werror"], {
    cwd: projectDir,
    maxBuffer: 16 * 1024 * 1024,
  });
  return {
    site: loadSiteOrThrow(siteFile),
    siteFile,
    projectDir,
    binary: join(projectDir, "build", "native", "ampx-gateway"),
  };
}

export type GatewayEvent = Record<string, unknown> & { event: string };

/** The native gateway as a child process. */
export class GatewayProcess {
  readonly events: GatewayEvent[] = [];
  stderr = "";
  private waiters: { test: (e: GatewayEvent) => boolean; resolve: (e: GatewayEvent) => void }[] = [];
  private exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      let event: GatewayEvent;
      try {
        event = JSON.parse(line) as GatewayEvent;
      } catch {
        return;
      }
      this.events.push(event);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(event)) return true;
        w.resolve(event);
        return false;
      });
    });
    child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  /** Starts the binary and waits for its "ready" event. */
  static async start(binary: string, env: Record<string, string>): Promise<GatewayProcess> {
    const child = spawn(binary, [], {
      env: { PATH: process.env["PATH"] ?? "", AMPX_HTTP_PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const gateway = new GatewayProcess(child);
    const exited = gateway.exited.then((code) => {
      throw new Error(`the gateway exited (${code}) before it was ready: ${gateway.stderr}`);
    });
    await Promise.race([gateway.waitFor((e) => e.event === "ready", 5000, "ready"), exited]);
    return gateway;
  }

  get ready(): GatewayEvent {
    return this.events.find((e) => e.event === "ready")!;
  }

  get url(): string {
    return `http://127.0.0.1:${String(this.ready["http"])}`;
  }

  /** The first event (already seen or coming) that passes `test`, within timeoutMs. */
  waitFor(test: (e: GatewayEvent) => boolean, timeoutMs: number, what = "event"): Promise<GatewayEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `no ${what} within ${timeoutMs} ms; stderr: ${this.stderr}; events: ${JSON.stringify(this.events.slice(-5))}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({
        test,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** Waits for the count-th event passing `test`, counting the ones already seen. */
  async waitForCount(test: (e: GatewayEvent) => boolean, count: number, timeoutMs: number, what: string) {
    const until = Date.now() + timeoutMs;
    while (this.events.filter(test).length < count) {
      if (Date.now() > until) throw new Error(`fewer than ${count} ${what} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sends a signal and waits for the exit; returns the exit code (null when killed by the signal). */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}
