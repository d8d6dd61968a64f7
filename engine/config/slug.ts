// File-name slugs for vendors and models: "Carlo Gavazzi" → carlo-gavazzi, "EM24 DIN" → em24-din.

/** Lowercase; every run of characters outside [a-z0-9] becomes one "-"; no leading or trailing "-". */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
