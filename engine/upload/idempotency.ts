import { isoTimestamp } from "./helpers.js";

/** `${site id}:${meter id or "site"}:${interval start ISO}` — sent as the Idempotency-Key header and in the payload. */
export function idempotencyKey(siteId: string, meterId: string | null, intervalStart: number): string {
  return `${siteId}:${meterId ?? "site"}:${isoTimestamp(intervalStart)}`;
}
