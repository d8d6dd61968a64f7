// One JSON POST over node:http / node:https with a hard deadline. Keep-alive agents make a backlog drain
// one connection instead of thousands.
import http from "node:http";
import https from "node:https";

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type HttpFailureCode = "UPLOAD_E_TIMEOUT" | "UPLOAD_E_NETWORK" | "UPLOAD_E_ABORTED";

/** The request did not produce an HTTP answer (timeout, refused, reset, aborted). */
export class HttpFailure extends Error {
  override name = "HttpFailure" as const;
  constructor(
    readonly code: HttpFailureCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Response bodies beyond this are not kept (the outbox stores 2000 characters of them anyway). */
const BODY_LIMIT = 64 * 1024;

export interface PostOptions {
  timeoutMs: number;
  agent?: http.Agent;
  signal?: AbortSignal;
}

export function postJson(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<HttpResponse> {
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: HttpFailure | undefined, response?: HttpResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      options.signal?.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolve(response!);
    };
    const request = transport.request(url, {
      method: "POST",
      agent: options.agent,
      headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    });
    const deadline = setTimeout(() => {
      finish(new HttpFailure("UPLOAD_E_TIMEOUT", `no answer within ${options.timeoutMs} ms`));
      request.destroy();
    }, options.timeoutMs);
    const onAbort = (): void => {
      finish(new HttpFailure("UPLOAD_E_ABORTED", "request aborted"));
      request.destroy();
    };
    options.signal?.addEventListener("abort", onAbort);
    request.on("error", (error: NodeJS.ErrnoException) =>
      finish(
        new HttpFailure("UPLOAD_E_NETWORK", error.code ? `${error.code}: ${error.message}` : error.message, {
          cause: error,
        }),
      ),
    );
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        if (size < BODY_LIMIT) chunks.push(chunk);
        size += chunk.length;
      });
      response.on("error", (error) =>
        finish(new HttpFailure("UPLOAD_E_NETWORK", error.message, { cause: error })),
      );
      response.on("end", () =>
        finish(undefined, {
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString("utf8").slice(0, BODY_LIMIT),
        }),
      );
    });
    request.end(body);
  });
}
