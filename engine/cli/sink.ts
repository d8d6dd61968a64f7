// `ampx sink`: run the local upload receiver until Ctrl-C.
import type { Command } from "commander";
import { Sink } from "../sink/index.js";
import type { SinkFailure } from "../sink/index.js";

const integer =
  (name: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${value}"`);
    return n;
  };

export function register(program: Command): void {
  program
    .command("sink")
    .description(
      "Run a local HTTP receiver that stores uploads (answers 201) and can be told to fail; GET /received lists them.",
    )
    .option("--port <port>", "port to listen on", integer("port"), 8090)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--db <file>", "JSON-lines file that keeps what was received (appended, reloaded at start)")
    .option(
      "--fail-status <status>",
      "answer every upload with this HTTP status (e.g. 500, 401, 429)",
      integer("fail-status"),
    )
    .option("--retry-after <seconds>", "Retry-After header sent with --fail-status", integer("retry-after"))
    .option("--delay <ms>", "wait this long before every answer", integer("delay"))
    .option("--drop", "close connections without answering")
    .option(
      "--control-port <port>",
      "also serve /received and /_sink/control on this port",
      integer("control-port"),
    )
    .action(
      async (options: {
        port: number;
        host: string;
        db?: string;
        failStatus?: number;
        retryAfter?: number;
        delay?: number;
        drop?: boolean;
        controlPort?: number;
      }) => {
        const failure: SinkFailure = {};
        if (options.failStatus !== undefined) failure.status = options.failStatus;
        if (options.retryAfter !== undefined) failure.retryAfter = options.retryAfter;
        if (options.delay !== undefined) failure.delayMs = options.delay;
        if (options.drop) failure.drop = true;
        const sink = await Sink.start({
          port: options.port,
          host: options.host,
          file: options.db,
          controlPort: options.controlPort,
          failure,
        });
        const control = sink.controlUrl ?? sink.url;
        console.log(`ampx sink listening on ${sink.url} (POST uploads here)`);
        console.log(`  received:  curl ${control}received`);
        console.log(
          `  misbehave: curl -X POST ${control}_sink/control -d '{"status":500}'   (back to normal: -d '{}')`,
        );
        if (Object.keys(failure).length > 0)
          console.log(`  failing from the start: ${JSON.stringify(failure)}`);
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        await sink.stop();
      },
    );
}
