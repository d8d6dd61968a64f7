// The upload payload template a site names: where it is, and whether it can be used.
// checkUploadTemplate is the hook `ampx validate` and loadSite run after resolving a site.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Handlebars from "handlebars";
import type { ResolvedSite } from "../model.js";
import { templatesDir } from "../paths.js";
import { displayFile } from "./diagnostic.js";
import { didYouMean } from "./did-you-mean.js";
import { UPLOAD_TEMPLATE_SUFFIX } from "./defaults.js";
import type { Problem } from "./problem.js";

const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export const uploadTemplatesDir = (root: string = templatesDir): string => join(root, "upload");

/** A bare name (default, ampx-portal-v2) is a shipped template; anything else a path relative to the site file. */
export function resolveTemplateFile(template: string, siteFile: string, root: string = templatesDir): string {
  return TEMPLATE_NAME.test(template)
    ? join(uploadTemplatesDir(root), template + UPLOAD_TEMPLATE_SUFFIX)
    : resolve(dirname(siteFile), template);
}

/** Names of the shipped upload templates. */
export function uploadTemplateNames(root: string = templatesDir): string[] {
  try {
    return readdirSync(uploadTemplatesDir(root))
      .filter((name) => name.endsWith(UPLOAD_TEMPLATE_SUFFIX))
      .map((name) => name.slice(0, -UPLOAD_TEMPLATE_SUFFIX.length))
      .sort();
  } catch {
    return [];
  }
}

const TEMPLATE_PATH = ["upload", "template"];

/**
 * Problems with the site's upload template: missing file, or handlebars that does not parse.
 * Integration hook: once engine/upload can render a payload from sample intervals, render it
 * here too and report a template that throws or does not produce JSON (code SITE_E_TEMPLATE_RENDER).
 */
export function checkUploadTemplate(site: ResolvedSite): Problem[] {
  if (site.upload === undefined) return [];
  const file = site.upload.templateFile;
  const written = site.upload.source.template ?? "default";
  if (!existsSync(file)) {
    const problem: Problem = {
      code: "SITE_E_TEMPLATE_NOT_FOUND",
      path: TEMPLATE_PATH,
      message: `template "${written}" not found (looked for ${displayFile(file)})`,
    };
    const names = uploadTemplateNames();
    const hint = TEMPLATE_NAME.test(written) ? didYouMean(written, names) : undefined;
    if (hint !== undefined) problem.hint = hint;
    else if (names.length > 0) problem.hint = `shipped templates: ${names.join(", ")}`;
    return [problem];
  }
  try {
    Handlebars.precompile(readFileSync(file, "utf8"), { strict: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return [
      {
        code: "SITE_E_TEMPLATE_SYNTAX",
        path: TEMPLATE_PATH,
        message: `template ${displayFile(file)} does not parse: ${reason}`,
      },
    ];
  }
  return [];
}
