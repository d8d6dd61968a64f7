// `ampx simulate <site.yaml>`: serve every enabled meter of a site from simulated meters (Modbus
// TCP on localhost ports, or RTU on a serial device or a socat pty pair) until Ctrl-C.
import type { Command } from "commander";
import { ConfigError, loadSiteOrThrow, parseDuration } from "../config/index.js";
import { profilesDir } from "../paths.js";
import type { SimEvent } from "../sim/events.js";
import { startSimulation } from "../sim/simulation.js";
import type { SimEndpoint } from "../sim/simulator.js";

interface SimulateOptions {
  seed: number;
  controlPort?: number;
  rtuPort?: string;
  pty?: boolean;
  wireTime: "on" | "off";
  turnaround?: number;
  dayLength?: string;
  profiles: string;
  json?: boolean;
  verbose?: boolean;
}

const wholeNumber =
  (name: string, max = Number.MAX_SAFE_INTEGER) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > max)
      throw new Error(`--${name} must be a whole number, got "${value}"`);
    return n;
  };

function onOff(value: string): "on" | "off" {
  if (value !== "on" && value !== "off") throw new Error(`--wire-time must be on or off, got "${value}"`);
  return value;
}

function describeEndpoint(e: SimEndpoint): string {
  if (e.transport === "tcp") return `tcp ${e.host}:${e.port} unit ${e.unitId}`;
  const parity = e.parity === "none" ? "N" : e.parity === "even" ? "E" : "O";
  return `rtu ${e.path} ${e.baudRate} ${e.dataBits}${parity}${e.stopBits} unit ${e.unitId}`;
}

function logEvent(event: SimEvent): void {
  const time = new Date(event.at).toISOString().slice(11, 23);
  if (event.type === "request") {
    const fn = `FC${event.function.toString(16).padStart(2, "0")}`;
    process.stderr.write(
      `${time} ${event.transport} unit ${event.unitId} ${event.meterId ?? "-"} ${fn} ${event.outcome}\n`,
    );
  } else if (event.type === "discard") {
    process.stderr.write(`${time} ${event.transport} discarded ${event.bytes} bytes: ${event.reason}\n`);
  } else if (event.type === "connection") {
    process.stderr.write(`${time} tcp ${event.state} ${event.remote}\n`);
  } else {
    process.stderr.write(`${time} error: ${event.message}\n`);
  }
}

async function run(file: string, options: SimulateOptions): Promise<void> {
  const site = loadSiteOrThrow(file, { profilesDir: options.profiles });
  const simulation = await startSimulation({
    site,
    seed: options.seed,
    wireTime: options.wireTime === "on",
    ...(options.controlPort === undefined ? {} : { controlPort: options.controlPort }),
    ...(options.rtuPort === undefined ? {} : { rtuPort: options.rtuPort }),
    ...(options.pty === true ? { pty: true } : {}),
    ...(options.turnaround === undefined ? {} : { turnaroundMs: options.turnaround }),
    ...(options.dayLength === undefined ? {} : { dayLengthMs: parseDuration(options.dayLength) }),
    onEvent: (event) => {
      if (options.verbose === true || event.type === "error") logEvent(event);
    },
  });
  const profileOf = new Map(site.meters.map((m) => [m.id, m.profile.id]));
  if (options.json === true) {
    const ready = {
      ready: true,
      site: site.id,
      seed: options.seed,
      endpoints: simulation.endpoints.map((e) => ({ ...e, profile: profileOf.get(e.meterId) })),
      controlUrl: simulation.controlUrl ?? null,
      clientRtuPort: simulation.clientRtuPort ?? null,
    };
    process.stdout.write(JSON.stringify(ready) + "\n");
  } else {
    const width = Math.max(...simulation.endpoints.map((e) => e.meterId.length), 5);
    process.stdout.write(
      `simulating site ${site.id}: ${simulation.endpoints.length} meters, seed ${options.seed}\n`,
    );
    for (const e of simulation.endpoints) {
      process.stdout.write(
        `  ${e.meterId.padEnd(width)}  ${describeEndpoint(e)}  ${profileOf.get(e.meterId)}\n`,
      );
    }
    if (simulation.clientRtuPort !== undefined && options.pty === true) {
      process.stdout.write(`clients open: ${simulation.clientRtuPort}\n`);
    }
    if (site.transport.type === "rtu") {
      process.stdout.write(`wire-time emulation: ${options.wireTime}\n`);
    }
    if (simulation.controlUrl !== undefined) {
      process.stdout.write(`control API: ${simulation.controlUrl}/meters\n`);
    }
    process.stdout.write("ready (Ctrl-C stops)\n");
  }
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await simulation.stop();
  process.stderr.write("simulator stopped\n");
}

export function register(program: Command): void {
  program
    .command("simulate")
    .description(
      "serve every meter of a site from simulated meters (Modbus TCP on localhost, or RTU) until Ctrl-C",
    )
    .argument("<site>", "site YAML file")
    .option(
      "--seed <n>",
      "seed of the simulated values: the same seed serves the same values",
      wholeNumber("seed"),
      1,
    )
    .option(
      "--control-port <port>",
      "serve the HTTP control API on 127.0.0.1:<port> (0: a free port)",
      wholeNumber("control-port", 65535),
    )
    .option("--rtu-port <path>", "RTU site: serve this serial device instead of the site's transport.port")
    .option("--pty", "RTU site: create a socat pseudo-terminal pair, serve one end and print the other")
    .option("--wire-time <on|off>", "RTU: delay replies by their time on an RS485 wire", onOff, "on")
    .option(
      "--turnaround <ms>",
      "RTU: meters' think time before replying (default 3.5 character times)",
      wholeNumber("turnaround"),
    )
    .option(
      "--day-length <duration>",
      "length of the simulated daily load cycle, e.g. 10m for a lively demo (default 24h)",
    )
    .option("--profiles <dir>", "profiles folder", profilesDir)
    .option("--json", "print the endpoints as one JSON line on stdout once ready")
    .option("--verbose", "log every request on stderr")
    .action(async (file: string, options: SimulateOptions) => {
      try {
        await run(file, options);
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`${error.message}\n`);
        } else {
          const code = (error as { code?: unknown }).code;
          const message = error instanceof Error ? error.message : String(error);
          process.stderr.write(`ampx simulate: ${message}${typeof code === "string" ? ` [${code}]` : ""}\n`);
        }
        process.exitCode = 1;
      }
    });
}
