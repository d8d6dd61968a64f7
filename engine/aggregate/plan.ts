// Which aggregates a site has: every non-identity quantity of every enabled meter, in site and profile order.
import type { CanonicalUnit, QuantityName, ResolvedSite } from "../model.js";

export interface PlannedQuantity {
  meterId: string;
  quantity: QuantityName;
  kind: "instantaneous" | "counter";
  unit: CanonicalUnit;
  pollIntervalMs: number;
}

/** Poll interval assumed for a quantity whose poll class the site does not define (the config loader prevents this). */
const FALLBACK_POLL_MS = 1000;

export function aggregatePlan(site: ResolvedSite): PlannedQuantity[] {
  const plan: PlannedQuantity[] = [];
  for (const meter of site.meters) {
    if (!meter.enabled) continue;
    const seen = new Set<string>();
    for (const register of meter.profile.registers) {
      if (register.kind === "identity" || seen.has(register.quantity)) continue;
      seen.add(register.quantity);
      plan.push({
        meterId: meter.id,
        quantity: register.quantity,
        kind: register.kind,
        unit: register.canonicalUnit,
        pollIntervalMs: site.pollClasses[register.pollClass]?.intervalMs ?? FALLBACK_POLL_MS,
      });
    }
  }
  return plan;
}
