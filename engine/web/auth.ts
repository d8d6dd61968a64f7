// Write access: a bearer token or basic credentials from site.web.auth. Secrets are resolved at the moment
// of use (never kept in a field that could be serialised) and compared in constant time.
import { createHash, timingSafeEqual } from "node:crypto";
import type { ResolvedSite } from "../model.js";

export type SecretResolver = (value: string, site: ResolvedSite) => string;

/** secret-error: web.auth names an ${env:…}/${secret:…} that cannot be resolved, so nobody can write. */
export type AuthResult = "ok" | "missing" | "wrong" | "not-configured" | "secret-error";

/** True when site.web.auth allows at least one way to authenticate. */
export function authConfigured(site: ResolvedSite): boolean {
  const auth = site.web.auth;
  return Boolean(auth && (auth.token || (auth.username !== undefined && auth.password)));
}

/** Checks an Authorization header against site.web.auth. */
export function checkAuthorization(
  header: string | undefined,
  site: ResolvedSite,
  resolveSecret: SecretResolver,
): AuthResult {
  const auth = site.web.auth;
  if (!auth || !authConfigured(site)) return "not-configured";
  if (!header) return "missing";
  const space = header.indexOf(" ");
  const scheme = header.slice(0, space).toLowerCase();
  const credentials = header.slice(space + 1).trim();
  if (space < 0 || !credentials) return "wrong";
  try {
    if (scheme === "bearer" && auth.token) {
      return safeEqual(credentials, resolveSecret(auth.token, site)) ? "ok" : "wrong";
    }
    if (scheme === "basic" && auth.username !== undefined && auth.password) {
      const decoded = Buffer.from(credentials, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon < 0) return "wrong";
      // Both halves are always compared, so the time does not tell which one was wrong.
      const userOk = safeEqual(decoded.slice(0, colon), auth.username);
      const passwordOk = safeEqual(decoded.slice(colon + 1), resolveSecret(auth.password, site));
      return userOk && passwordOk ? "ok" : "wrong";
    }
  } catch {
    return "secret-error";
  }
  return "wrong";
}

/** Constant-time comparison of two strings of any length (hashing first hides the length too). */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}
