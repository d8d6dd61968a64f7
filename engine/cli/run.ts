// `ampx run <site.yaml>`: polls the site's meters until SIGINT/SIGTERM, logging samples, failures, state
// changes and health with pino. (Dashboard and upload are wired in by the integration of those parts.)
import type { Command } from "commander";
import type { LevelWithSilent } from "pino";
import { parseDuration } from "../config/index.js";
import { createLogger } from "../log.js";
import type { Logger } from "../log.js";
import type { ResolvedSite } from "../model.js";
import { profilesDir } from "../paths.js";
import { Poller, logPollerEvents } from "../poller/index.js";
import { errorLine, loadSiteForCommand } from "./site-file.js";

interface RunOptions {
  profiles: string;
  logLevel: LevelWithSilent;
  json?: boolean;
  samples: boolean;
  healthEvery: string;
}

export interface RunningSite {
  poller: Poller;
  /** Stops polling (reads in flight finish) and closes the transports. */
  stop(): Promise<void>;
}

/** Starts polling a site with logging; the caller adds its own subscribers (store, web) to `poller`. */
export function startSite(
  site: ResolvedSite,
  logger: Logger,
  options: { samples?: boolean; healthEveryMs?: number } = {},
): RunningSite {
  const poller = new Poller(site);
  const detach = logPollerEvents(poller, logger, options);
  const meters = site.meters.filter((m) => m.enabled).length;
  const bus =
    site.transport.type === "rtu"
      ? `RS485 ${site.transport.port} at ${site.transport.baudRate} baud`
      : "Modbus TCP";
  logger.info(
    {
      site: site.id,
      meters,
      transport: bus,
      pollClasses: Object.fromEntries(
        Object.entries(site.pollClasses).map(([k, v]) => [k, `${v.intervalMs} ms`]),
      ),
    },
    "polling started",
  );
  for (const { meterId, pollClass, blocks } of poller.plan()) {
    logger.debug(
      { meter: meterId, pollClass, blocks: blocks.map((b) => `${b.function} ${b.start}+${b.count}`) },
      "read plan",
    );
  }
  poller.start();
  return {
    poller,
    stop: async () => {
      await poller.stop();
      detach();
    },
  };
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

export function register(program: Command): void {
  program
    .command("run")
    .description("poll a site's meters until stopped (Ctrl-C), logging samples and meter health")
    .argument("<site>", "site file (YAML)")
    .option("--profiles <dir>", "profiles folder", profilesDir)
    .option("--log-level <level>", "fatal, error, warn, info, debug or trace", "info")
    .option("--json", "log JSON lines even on a terminal")
    .option("--no-samples", "do not log every sample batch")
    .option("--health-every <duration>", "how often to log every meter's health", "60s")
    .action(async (file: string, options: RunOptions) => {
      const logger = createLogger({ level: options.logLevel, json: options.json === true, name: "ampx" });
      try {
        const site = loadSiteForCommand(file, options.profiles, (line) => logger.warn(line));
        if (!site) {
          process.exitCode = 1;
          return;
        }
        const running = startSite(site, logger, {
          samples: options.samples,
          healthEveryMs: parseDuration(options.healthEvery),
        });
        await untilSignal(logger);
        await running.stop();
        for (const h of running.poller.health())
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
