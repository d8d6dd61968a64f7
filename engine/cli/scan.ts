// `ampx scan --port /dev/ttyUSB0 | --host H`: finds the unit ids that answer, recognises their profile
// from plausible readings, and prints a `meters:` list ready to paste into a site file (or --json).
import type { Command } from "commander";
import { loadProfiles, parseDuration } from "../config/index.js";
import { defaultInterFrameDelayMs } from "../config/serial-timing.js";
import { ScanError, parseUnits, scan, toSiteYaml } from "../discovery/index.js";
import { profilesDir } from "../paths.js";
import { RtuTransport, TcpTransport } from "../transport/index.js";
import type { Transport } from "../transport/index.js";
import { errorLine } from "./site-file.js";

interface ScanCliOptions {
  port?: string;
  host?: string;
  tcpPort: string;
  baud: string;
  parity: "none" | "even" | "odd";
  units: string;
  timeout: string;
  profiles: string;
  profile?: string[];
  json?: boolean;
}

function transportFor(
  options: ScanCliOptions,
  timeoutMs: number,
): { transport: Transport; description: string } {
  if (options.port && options.host)
    throw new RangeError("give either --port (RS485) or --host (Modbus TCP), not both");
  if (options.port) {
    const baudRate = Number(options.baud);
    if (!Number.isInteger(baudRate) || baudRate < 300)
      throw new RangeError(`--baud ${options.baud} is not a baud rate`);
    if (!["none", "even", "odd"].includes(options.parity))
      throw new RangeError("--parity must be none, even or odd");
    return {
      transport: new RtuTransport({
        port: options.port,
        baudRate,
        parity: options.parity,
        dataBits: 8,
        stopBits: 1,
        responseTimeoutMs: timeoutMs,
        turnaroundDelayMs: 5,
        interFrameDelayMs: defaultInterFrameDelayMs(baudRate, 8, options.parity, 1),
        retries: 0,
      }),
      description: `${options.port} ${baudRate} 8${options.parity[0]!.toUpperCase()}1`,
    };
  }
  if (options.host) {
    const port = Number(options.tcpPort);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new RangeError(`--tcp-port ${options.tcpPort} is not a port`);
    return {
      transport: new TcpTransport({
        host: options.host,
        port,
        connectTimeoutMs: 3000,
        responseTimeoutMs: timeoutMs,
        reconnectDelayMs: 500,
        reconnectDelayMaxMs: 5000,
        retries: 0,
        // Most unit ids are silent during a scan: silence is no sign of a dead connection here.
        halfOpenTimeouts: Number.MAX_SAFE_INTEGER,
      }),
      description: `${options.host}:${port}`,
    };
  }
  throw new RangeError("give --port <serial device> (RS485) or --host <address> (Modbus TCP)");
}

export function register(program: Command): void {
  program
    .command("scan")
    .description(
      "find the meters on an RS485 port or a Modbus TCP host and print them as a site's meters list",
    )
    .option("--port <device>", "serial device of the RS485 bus, e.g. /dev/ttyUSB0")
    .option("--host <address>", "Modbus TCP host (meter or gateway)")
    .option("--tcp-port <port>", "Modbus TCP port", "502")
    .option("--baud <rate>", "RS485 baud rate", "9600")
    .option("--parity <parity>", "RS485 parity: none, even or odd", "none")
    .option("--units <ids>", "unit ids to try, e.g. 1-247 or 1,2,10-20", "1-247")
    .option("--timeout <duration>", "response timeout per request", "100ms")
    .option("--profile <id...>", "only try these profiles (vendor/model)")
    .option("--profiles <dir>", "profiles folder", profilesDir)
    .option("--json", "print the findings as JSON")
    .action(async (options: ScanCliOptions) => {
      let transport: Transport | undefined;
      try {
        const timeoutMs = parseDuration(options.timeout);
        const units = parseUnits(options.units);
        const loaded = loadProfiles(options.profiles);
        let profiles = [...loaded.profiles.values()];
        if (options.profile?.length) {
          const unknown = options.profile.filter((id) => !loaded.profiles.has(id));
          if (unknown.length > 0)
            throw new RangeError(`no profile ${unknown.join(", ")} in ${options.profiles}`);
          profiles = profiles.filter((p) => options.profile!.includes(p.id));
        }
        const target = transportFor(options, timeoutMs);
        transport = target.transport;
        const progress = process.stderr.isTTY === true;
        const findings = await scan(transport, {
          units,
          timeoutMs,
          profiles,
          onUnit: (unit, here) => {
            if (here) process.stderr.write(`${progress ? "\r\u001b[K" : ""}unit ${unit} answers\n`);
            else if (progress) process.stderr.write(`\r\u001b[Kunit ${unit}…`);
          },
        });
        if (progress) process.stderr.write("\r\u001b[K");
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ target: target.description, findings }, null, 2)}\n`);
        } else {
          const tcp = options.host ? { host: options.host, port: Number(options.tcpPort) } : {};
          process.stdout.write(toSiteYaml(findings, { ...tcp, description: target.description }));
        }
        process.exitCode = findings.length > 0 ? 0 : 1;
      } catch (error) {
        process.stderr.write(
          `${errorLine("scan", error instanceof ScanError ? new Error(error.message) : error)}\n`,
        );
        process.exitCode = error instanceof ScanError || error instanceof RangeError ? 1 : 2;
      } finally {
        await transport?.close();
      }
    });
}
