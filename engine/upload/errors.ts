export type PayloadTemplateErrorCode =
  | "PAYLOAD_E_TEMPLATE_READ"
  | "PAYLOAD_E_TEMPLATE_SYNTAX"
  | "PAYLOAD_E_RENDER"
  | "PAYLOAD_E_NOT_JSON"
  | "PAYLOAD_E_NO_UPLOAD";

/** A payload template that cannot be read, compiled or rendered, or renders something that is not JSON. */
export class PayloadTemplateError extends Error {
  override name = "PayloadTemplateError" as const;
  constructor(
    readonly code: PayloadTemplateErrorCode,
    message: string,
    readonly templateFile?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
