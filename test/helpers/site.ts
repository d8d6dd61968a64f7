// Resolved sites for tests, loaded through the real config loader from a YAML written to a temp folder.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { loadSiteOrThrow } from "../../engine/config/index.js";
import type { ResolvedSite } from "../../engine/model.js";

export interface TestMeter {
  id: string;
  profile: string;
  unitId?: number;
  priority?: number;
  enabled?: boolean;
}

/** Loads a site from `body` (the YAML document as an object); meters of a TCP site get host 127.0.0.1. */
export function loadTestSite(body: Record<string, unknown>): ResolvedSite {
  const dir = mkdtempSync(join(tmpdir(), "ampx-site-"));
  try {
    const file = join(dir, "site.yaml");
    writeFileSync(file, stringify({ id: "test", name: "Test site", ...body }));
    return loadSiteOrThrow(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A Modbus TCP site whose meters all listen on port 0, so the simulator gives each a free port
 * (use simulator.siteForClients() for the poller).
 */
export function tcpSite(
  meters: TestMeter[],
  pollClasses: Record<string, string>,
  transport: Record<string, unknown> = {},
): ResolvedSite {
  const site = loadTestSite({
    transport: {
      type: "tcp",
      connectTimeout: "500ms",
      responseTimeout: "300ms",
      reconnectDelay: "100ms",
      reconnectDelayMax: "400ms",
      ...transport,
    },
    pollClasses: Object.fromEntries(
      Object.entries(pollClasses).map(([name, interval]) => [name, { interval }]),
    ),
    // Distinct placeholder ports so two meters with the same unit id are valid; replaced by 0 below.
    meters: meters.map((m, i) => ({ host: "127.0.0.1", port: 10_000 + i, ...m })),
  });
  return { ...site, meters: site.meters.map((m) => ({ ...m, port: 0 })) };
}

/** A Modbus RTU site on `port` (one end of a pty pair). */
export function rtuSite(
  port: string,
  meters: TestMeter[],
  pollClasses: Record<string, string>,
  transport: Record<string, unknown> = {},
): ResolvedSite {
  return loadTestSite({
    transport: { type: "rtu", port, baudRate: 115200, responseTimeout: "200ms", ...transport },
    pollClasses: Object.fromEntries(
      Object.entries(pollClasses).map(([name, interval]) => [name, { interval }]),
    ),
    meters,
  });
}
