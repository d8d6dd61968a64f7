// Cross-site protection for the WebSocket and every POST: a browser always sends Origin on those, and it
// must be the dashboard's own origin or one listed in site.web.allowedOrigins. Requests without Origin
// come from non-browser clients (curl, scripts), which a malicious page cannot drive.
import type { IncomingHttpHeaders } from "node:http";

export function originAllowed(headers: IncomingHttpHeaders, allowedOrigins: readonly string[]): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (origin === "null") return false;
  const host = headers.host;
  if (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`)) return true;
  const normalized = normalize(origin);
  return allowedOrigins.some((allowed) => normalize(allowed) === normalized);
}

function normalize(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}
