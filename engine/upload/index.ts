// engine/upload: payload templates → outbox entries, and the Sender that delivers them to the central API.
export { Sender } from "./sender.js";
export type { DrainResult, SenderOptions, SenderStatus } from "./sender.js";
export {
  assertJson,
  compilePayloadTemplate,
  createOutboxBuilder,
  renderInterval,
  renderSamplePayload,
  serialFromStore,
} from "./render.js";
export type { PayloadTemplate, RenderedPayload } from "./render.js";
export type { MeterView, QuantityView, RecordView, TemplateContext } from "./context.js";
export { PayloadTemplateError } from "./errors.js";
export type { PayloadTemplateErrorCode } from "./errors.js";
export { isoTimestamp, jsonNumber, jsonValue, payloadHelpers } from "./helpers.js";
export { idempotencyKey } from "./idempotency.js";
export { backoffMs, retryAfterMs, RETRY_AFTER_MAX_MS, verdictFor } from "./policy.js";
export type { Verdict } from "./policy.js";
export { HttpFailure, postJson } from "./http.js";
export { requestHeaders } from "./auth.js";
export type { SecretResolver } from "./auth.js";
