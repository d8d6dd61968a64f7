// URLs shown to the browser lose their credentials: user:password@ and query values (API keys often travel there).

/** ASCII on purpose: it survives URL serialisation unescaped. */
const MASK = "****";

export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return MASK;
  }
  if (parsed.username || parsed.password) {
    parsed.username = MASK;
    parsed.password = "";
  }
  for (const key of [...parsed.searchParams.keys()]) parsed.searchParams.set(key, MASK);
  return parsed.toString();
}
