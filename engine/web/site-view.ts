// What the browser learns about the site: names, ids, profiles, quantities and settings, never a secret.
// Built field by field (an allow-list), so a new secret-bearing field in ResolvedSite cannot leak by accident.
import type { ResolvedSite } from "../model.js";
import { authConfigured } from "./auth.js";
import { quantityVocabulary, type QuantityInfo } from "./quantities.js";
import { redactUrl } from "./redact-url.js";

export interface MeterView {
  id: string;
  name: string;
  enabled: boolean;
  unitId: number;
  host?: string;
  port?: number;
  priority: number;
  serialNumber?: string;
  profile: { id: string; vendor: string; model: string; status: string };
  /** Quantity names of the profile, in profile order. */
  quantities: string[];
}

export interface SiteView {
  id: string;
  name: string;
  timezone: string;
  /** upload.variables.gateway_id when the site sets one (the AmpX portal's gateway id). */
  gatewayId: string | null;
  version: string;
  transport:
    | { type: "rtu"; port: string; baudRate: number; parity: string; dataBits: number; stopBits: number }
    | { type: "tcp" };
  /** Poll class → interval in ms. */
  pollClasses: Record<string, number>;
  meters: MeterView[];
  /** Label, unit and kind of every quantity some meter has. */
  quantities: Record<string, QuantityInfo>;
  upload: { enabled: boolean; url: string; intervalMs: number; mode: string } | null;
  /** True when changes are possible (site.web.auth is set). */
  writable: boolean;
}

export function siteView(site: ResolvedSite, version: string): SiteView {
  const vocabulary = quantityVocabulary();
  const quantities: Record<string, QuantityInfo> = {};
  const meters = site.meters.map((m): MeterView => {
    const names = [...new Set(m.profile.registers.map((r) => r.quantity as string))];
    for (const name of names) {
      const info = vocabulary.get(name);
      const reg = m.profile.registers.find((r) => r.quantity === name);
      quantities[name] = info ?? {
        label: name,
        unit: reg?.canonicalUnit ?? "",
        kind: reg?.kind ?? "instantaneous",
      };
    }
    return {
      id: m.id,
      name: m.name,
      enabled: m.enabled,
      unitId: m.unitId,
      ...(m.host !== undefined ? { host: m.host } : {}),
      ...(m.port !== undefined ? { port: m.port } : {}),
      priority: m.priority,
      ...(m.serialNumber !== undefined ? { serialNumber: m.serialNumber } : {}),
      profile: {
        id: m.profile.id,
        vendor: m.profile.vendor,
        model: m.profile.model,
        status: m.profile.status,
      },
      quantities: names,
    };
  });
  const t = site.transport;
  const gatewayId = site.upload?.variables["gateway_id"];
  return {
    id: site.id,
    name: site.name,
    timezone: site.timezone,
    gatewayId: gatewayId === undefined ? null : String(gatewayId),
    version,
    transport:
      t.type === "rtu"
        ? {
            type: "rtu",
            port: t.port,
            baudRate: t.baudRate,
            parity: t.parity,
            dataBits: t.dataBits,
            stopBits: t.stopBits,
          }
        : { type: "tcp" },
    pollClasses: Object.fromEntries(Object.entries(site.pollClasses).map(([k, v]) => [k, v.intervalMs])),
    meters,
    quantities,
    upload: site.upload
      ? {
          enabled: site.upload.enabled,
          url: redactUrl(site.upload.url),
          intervalMs: site.upload.intervalMs,
          mode: site.upload.mode,
        }
      : null,
    writable: authConfigured(site),
  };
}
