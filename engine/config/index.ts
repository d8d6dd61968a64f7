// engine/config: site and profile files → typed, frozen, resolved objects, or a list of every
// problem with its file:line:column. See docs/configuration.md.
export { ConfigError } from "./config-error.js";
export { formatDiagnostic, formatPath, hasErrors, severityOf, sortDiagnostics } from "./diagnostic.js";
export type { Diagnostic, PathSegment, Severity } from "./diagnostic.js";
export { DurationError, formatDuration, parseDuration } from "./duration.js";
export { listProfileFiles, loadProfile, loadProfiles, profileIdOf } from "./load-profile.js";
export type { ProfileLoad } from "./load-profile.js";
export { loadSite, loadSiteOrThrow } from "./load-site.js";
export type { LoadSiteOptions, SiteLoad } from "./load-site.js";
export { REDACTED, redactSecrets, resolveSecret, SecretError } from "./secrets.js";
export { checkUploadTemplate, resolveTemplateFile } from "./upload-template.js";
export { detectConfigKind } from "./detect-kind.js";
