// The upload payload template a site names: where it is, and whether it can be used.
// checkUploadTemplate renders a sample payload when a site is loaded (loadSite, ampx validate).
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { ResolvedSite } from "../model.js";
import { templatesDir } from "../paths.js";
// render.js, not the upload index: the index pulls in the sender, which imports engine/config.
import { PayloadTemplateError } from "../upload/errors.js";
import { renderSamplePayload } from "../upload/render.js";
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

const SITE_CODE_OF: Record<string, string> = {
  PAYLOAD_E_TEMPLATE_READ: "SITE_E_TEMPLATE_NOT_FOUND",
  PAYLOAD_E_TEMPLATE_SYNTAX: "SITE_E_TEMPLATE_SYNTAX",
  PAYLOAD_E_RENDER: "SITE_E_TEMPLATE_RENDER",
  PAYLOAD_E_NOT_JSON: "SITE_E_TEMPLATE_NOT_JSON",
};

/** A PayloadTemplateError as a one-line problem: the file relative to cwd, the rendered excerpt as hint. */
function templateProblem(error: PayloadTemplateError, file: string): Problem {
  const [first = "", excerpt] = error.message.split(file).join(displayFile(file)).split("\n");
  const problem: Problem = {
    code: SITE_CODE_OF[error.code] ?? "SITE_E_TEMPLATE_RENDER",
    path: TEMPLATE_PATH,
    message: first.replace(/:$/, ""),
  };
  if (excerpt !== undefined && excerpt.trim() !== "") {
    problem.hint = `${error.code === "PAYLOAD_E_NOT_JSON" ? "rendered" : "near"}: ${excerpt.trim()}`;
  }
  return problem;
}

/**
 * Problems with the site's upload template: a missing file, handlebars that does not compile, or a
 * sample interval (every meter, every quantity) that fails to render or renders something that is not
 * JSON. This is the check issue 4 asks of `ampx validate`: the error shows now, not at the first upload.
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
    renderSamplePayload(site);
  } catch (error) {
    if (error instanceof PayloadTemplateError) return [templateProblem(error, file)];
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return [
      {
        code: "SITE_E_TEMPLATE_RENDER",
        path: TEMPLATE_PATH,
        message: `template ${displayFile(file)}: ${reason}`,
      },
    ];
  }
  return [];
}
