// The one error type the web layer answers with: an HTTP status, a stable code and a message for people.
// Anything else that escapes a handler becomes a 500 without details (no stack trace leaves the server).

export type WebErrorCode =
  | "WEB_E_NOT_FOUND"
  | "WEB_E_UNKNOWN_METER"
  | "WEB_E_UNKNOWN_QUANTITY"
  | "WEB_E_BAD_TIME"
  | "WEB_E_BAD_RANGE"
  | "WEB_E_BAD_REQUEST"
  | "WEB_E_BAD_BODY"
  | "WEB_E_BODY_TOO_LARGE"
  | "WEB_E_UNSUPPORTED_MEDIA_TYPE"
  | "WEB_E_UNAUTHORIZED"
  | "WEB_E_TOO_MANY_ATTEMPTS"
  | "WEB_E_WRITES_DISABLED"
  | "WEB_E_ORIGIN"
  | "WEB_E_UNAVAILABLE"
  | "WEB_E_INVALID_CONFIG"
  | "WEB_E_INTERNAL";

export class WebError extends Error {
  override name = "WebError" as const;

  constructor(
    readonly status: number,
    readonly code: WebErrorCode,
    message: string,
    /** Extra JSON fields for the client (e.g. validation problems). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
