// `ampx demo`: the whole product on one machine — simulated meters (sites/demo.yaml), the gateway with its
// dashboard, and a local upload sink that stands in for the central API. `npm start` runs it.
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { formatDuration } from "../config/index.js";
import { startGateway } from "../gateway/gateway.js";
import { createLogger } from "../log.js";
import type { ResolvedSite } from "../model.js";
import { profilesDir, sitesDir } from "../paths.js";
import { startSimulation } from "../sim/simulation.js";
import { Sink } from "../sink/index.js";
import { errorLine, loadSiteForCommand } from "./site-file.js";

interface DemoOptions {
  site: string;
  data: string;
  controlPort: number;
  logLevel: "info" | "warn" | "debug";
}

/** Ends when SIGINT or SIGTERM arrives. */
function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      process.once("SIGINT", () => process.exit(130));
      done();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

function portOf(url: string): number {
  const { port, protocol } = new URL(url);
  return port ? Number(port) : protocol === "https:" ? 443 : 80;
}

export function register(program: Command): void {
  program
    .command("demo")
    .description("run the demo: simulated meters, the gateway, its dashboard and a local upload sink")
    .option("--site <file>", "site the simulator serves and the gateway reads", join(sitesDir, "demo.yaml"))
    .option("--data <dir>", "folder for the demo's database and received uploads", "data")
    .option("--control-port <port>", "simulator control API port (0: any free port)", Number, 0)
    .option("--log-level <level>", "info, warn or debug", "warn")
    .action(async (options: DemoOptions) => {
      const logger = createLogger({ level: options.logLevel, name: "ampx" });
      const loaded = loadSiteForCommand(options.site, profilesDir, () => {});
      if (!loaded) {
        process.exitCode = 1;
        return;
      }
      const dataDir = resolve(options.data);
      let site: ResolvedSite = {
        ...loaded,
        storage: { ...loaded.storage, path: join(dataDir, `${loaded.id}.db`) },
      };
      const stops: (() => Promise<void>)[] = [];
      try {
        if (site.upload) {
          const sink = await Sink.start({ port: portOf(site.upload.url), file: join(dataDir, "sink.jsonl") });
          stops.unshift(() => sink.stop());
          // A site may ask for any free port (0): upload to the port the sink really got.
          const url = new URL(site.upload.url);
          url.port = String(sink.port);
          site = { ...site, upload: { ...site.upload, url: url.href } };
          console.log(`upload sink     ${sink.url}received  (what the "central API" got)`);
        }
        const simulation = await startSimulation({ site, controlPort: options.controlPort });
        stops.unshift(() => simulation.stop());
        console.log(
          `simulated meters ${simulation.endpoints.length}, control API ${simulation.controlUrl ?? "off"}`,
        );
        // Meters on port 0 got free ports: the gateway reads them where the simulator really answers.
        site = simulation.simulator.siteForClients(simulation.clientRtuPort);
        const gateway = await startGateway(site, { logger, profilesDir });
        stops.unshift(() => gateway.stop());
        if (gateway.web) console.log(`dashboard       ${gateway.web.url}`);
        console.log(`database        ${site.storage.path}`);
        if (site.upload)
          console.log(
            `uploads         every ${formatDuration(site.upload.intervalMs)} to ${site.upload.url}`,
          );
        const first = site.meters.find((m) => m.enabled)?.id;
        if (simulation.controlUrl && first) {
          console.log(
            `take a meter offline:  curl -X POST ${simulation.controlUrl}/meters/${first}/fault -d '{"kind":"timeout"}'`,
          );
          console.log(`and back online:       curl -X DELETE ${simulation.controlUrl}/meters/${first}/fault`);
        }
        console.log("Ctrl-C stops the demo.");
        await untilSignal();
      } catch (error) {
        process.stderr.write(`${errorLine("demo", error)}\n`);
        process.exitCode = 1;
      } finally {
        for (const stop of stops) await stop().catch(() => undefined);
      }
    });
}
