// engine/config-edit: dashboard changes written back to the site YAML (comments kept, validated, atomic, .bak).
export { SiteConfigEditor, editDocument, redactedYaml } from "./site-config-editor.js";
export type { ConfigChangedEvent, SiteConfigEditorOptions } from "./site-config-editor.js";
