// Request headers from the upload config: extra headers and auth, with secrets resolved at the moment of
// use. The result is never logged.
import type { ResolvedSite } from "../model.js";

export type SecretResolver = (value: string, site: ResolvedSite) => string;

export function requestHeaders(site: ResolvedSite, resolve: SecretResolver): Record<string, string> {
  const upload = site.upload;
  if (!upload) return {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(upload.headers))
    headers[name.toLowerCase()] = resolve(value, site);
  const auth = upload.auth;
  if (auth?.type === "bearer") headers.authorization = `Bearer ${resolve(auth.token, site)}`;
  if (auth?.type === "basic") {
    const credentials = `${resolve(auth.username, site)}:${resolve(auth.password, site)}`;
    headers.authorization = `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;
  }
  if (auth?.type === "header") headers[auth.header.toLowerCase()] = resolve(auth.value, site);
  return headers;
}
