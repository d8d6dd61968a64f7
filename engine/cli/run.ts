// `ampx run <site.yaml>`: the gateway — polls the site's meters, stores samples, closes intervals into the
// outbox, uploads them, and serves the dashboard — until SIGINT/SIGTERM, then shuts down in order so that
// nothing measured is lost (engine/gateway).
import type { Command } from "commander";
import type { LevelWithSilent } from "pino";
import { parseDuration } from "../config/index.js";
import { startGateway } from "../gateway/gateway.js";
import { createLogger } from "../log.js";
import type { Logger } from "../log.js";
import type { ResolvedSite } from "../model.js";
import { profilesDir } from "../paths.js";
import { errorLine, loadSiteForCommand } from "./site-file.js";

interface RunOptions {
  profiles: string;
  logLevel: LevelWithSilent;
  json?: boolean;
  samples?: boolean;
  healthEvery: string;
  web: boolean;
  webPort?: number;
}

/** Resolves on the first SIGINT or SIGTERM; a second one exits at once. */
function untilSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.once("SIGINT", () => process.exit(130));
      process.once("SIGTERM", () => process.exit(143));
      logger.info({ signal }, "stopping");
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

function describeBus(site: ResolvedSite): string {
  return site.transport.type === "rtu"
    ? `RS485 ${site.transport.port} at ${site.transport.baudRate} baud`
    : "Modbus TCP";
}

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--web-port must be a port number 0–65535, got "${value}"`);
  return port;
}

export function register(program: Command): void {
  program
    .command("run")
    .description("run the gateway: poll, store, upload and serve the dashboard until stopped (Ctrl-C)")
    .argument("<site>", "site file (YAML)")
    .option("--profiles <dir>", "profiles folder", profilesDir)
    .option("--log-level <level>", "fatal, error, warn, info, debug or trace", "info")
    .option("--json", "log JSON lines even on a terminal")
    .option("--samples", "also log every sample batch (noisy: for debugging a site, not for a service)")
    .option("--health-every <duration>", "how often to log every meter's health", "60s")
    .option("--no-web", "do not serve the dashboard")
    .option(
      "--web-port <port>",
      "serve the dashboard on this port instead of web.port (0: any free port)",
      portNumber,
    )
    .action(async (file: string, options: RunOptions) => {
      const logger = createLogger({ level: options.logLevel, json: options.json === true, name: "ampx" });
      try {
        const loaded = loadSiteForCommand(file, options.profiles, (line) => logger.warn(line));
        if (!loaded) {
          process.exitCode = 1;
          return;
        }
        const site: ResolvedSite =
          options.webPort === undefined
            ? loaded
            : { ...loaded, web: { ...loaded.web, port: options.webPort } };
        const gateway = await startGateway(site, {
          logger,
          web: options.web && site.web.enabled,
          profilesDir: options.profiles,
          logSamples: options.samples === true,
          healthEveryMs: parseDuration(options.healthEvery),
        });
        logger.info(
          {
            site: site.id,
            meters: site.meters.filter((m) => m.enabled).length,
            transport: describeBus(site),
            database: site.storage.path,
            upload: site.upload?.enabled ? site.upload.url : "off",
            dashboard: gateway.web?.url ?? "off",
          },
          "gateway started",
        );
        await untilSignal(logger);
        await gateway.stop();
        for (const h of gateway.poller().health())
          logger.info(
            { meter: h.meterId, state: h.state, requests: h.requests, responses: h.responses },
            "final health",
          );
        logger.info("stopped");
        logger.flush();
      } catch (error) {
        process.stderr.write(`${errorLine("run", error)}\n`);
        process.exitCode = 2;
      }
    });
}
