// Reads a small JSON request body. Only application/json is accepted: an HTML form on another site cannot
// send it without a CORS preflight, which this server never grants.
import type { Context } from "koa";
import { WebError } from "./web-error.js";

export async function readJsonBody(ctx: Context, limitBytes = 64 * 1024): Promise<unknown> {
  if (!ctx.is("application/json")) {
    throw new WebError(415, "WEB_E_UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  }
  const declared = Number(ctx.get("content-length") || 0);
  if (declared > limitBytes)
    throw new WebError(413, "WEB_E_BODY_TOO_LARGE", `the body is over ${limitBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes)
      throw new WebError(413, "WEB_E_BODY_TOO_LARGE", `the body is over ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new WebError(400, "WEB_E_BAD_BODY", "the body is not valid JSON");
  }
}
