// `ampx probe <serial-port | host[:port]> --unit N --address A`: read the registers around one address once
// and rank every reading of them (address ±1, type, word order, scale) by how plausible it is for a quantity.
import type { Command } from "commander";
import { quantityInfo } from "../config/quantities.js";
import { defaultInterFrameDelayMs } from "../config/serial-timing.js";
import type { RegisterFunction } from "../model.js";
import { formatProbe, probe, ProbeError, probeToJson } from "../probe/index.js";
import { RtuTransport, TcpTransport, TransportError } from "../transport/index.js";
import type { Transport } from "../transport/index.js";

interface ProbeOptions {
  unit: number;
  address: number;
  function: RegisterFunction;
  quantity: string;
  count: number;
  baud: number;
  parity: "none" | "even" | "odd";
  dataBits: number;
  stopBits: number;
  timeout: number;
  json?: boolean;
  all?: boolean;
  top: number;
}

const integer =
  (name: string, min: number, max: number) =>
  (value: string): number => {
    const n = /^0x[0-9a-f]+$/i.test(value) ? Number.parseInt(value, 16) : Number(value);
    if (!Number.isInteger(n) || n < min || n > max || value.trim() === "")
      throw new Error(`--${name} must be a whole number ${min}…${max}, got "${value}"`);
    return n;
  };

const oneOf =
  <T extends string>(name: string, values: readonly T[]) =>
  (value: string): T => {
    if (!(values as readonly string[]).includes(value))
      throw new Error(`--${name} must be one of ${values.join(", ")}, got "${value}"`);
    return value as T;
  };

function quantity(value: string): string {
  if (quantityInfo(value) === undefined)
    throw new Error(`--quantity "${value}" is not a quantity name (see docs/reference/quantities.md)`);
  return value;
}

/** A serial device (/dev/ttyUSB0, COM3) or a Modbus TCP host[:port] ([::1]:502 for IPv6). */
export function parseTarget(
  target: string,
): { kind: "rtu"; path: string } | { kind: "tcp"; host: string; port: number } {
  if (target.startsWith("/") || /^COM\d+$/i.test(target)) return { kind: "rtu", path: target };
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(target);
  const [host, port] = v6
    ? [v6[1]!, v6[2]]
    : target.split(":").length === 2
      ? target.split(":")
      : [target, undefined];
  const n = port === undefined ? 502 : Number(port);
  if (!host || !Number.isInteger(n) || n < 1 || n > 65535)
    throw new Error(`"${target}" is neither a serial device nor host[:port]`);
  return { kind: "tcp", host, port: n };
}

function transportFor(target: string, options: ProbeOptions): Transport {
  const where = parseTarget(target);
  if (where.kind === "rtu") {
    return new RtuTransport({
      port: where.path,
      baudRate: options.baud,
      parity: options.parity,
      dataBits: options.dataBits,
      stopBits: options.stopBits,
      responseTimeoutMs: options.timeout,
      turnaroundDelayMs: 5,
      interFrameDelayMs: defaultInterFrameDelayMs(
        options.baud,
        options.dataBits,
        options.parity,
        options.stopBits,
      ),
      retries: 1,
    });
  }
  return new TcpTransport({
    host: where.host,
    port: where.port,
    connectTimeoutMs: 3000,
    responseTimeoutMs: options.timeout,
    reconnectDelayMs: 500,
    reconnectDelayMaxMs: 2000,
    retries: 1,
  });
}

/** What to check when the meter does not answer or refuses, by where the request went. */
function hint(error: ProbeError, target: string): string {
  if (error.code === "PROBE_E_REFUSED")
    return "the meter answered, so wiring and unit id are fine: check --function (holding/input) and the address (datasheets may print 1-based or 4xxxx/3xxxx numbers)";
  return parseTarget(target).kind === "rtu"
    ? "check the unit id, baud rate and parity, the A/B wires (swap them), termination and bias (docs/troubleshooting.md)"
    : "check the host and port, and the unit id a Modbus TCP gateway expects (docs/troubleshooting.md)";
}

export function register(program: Command): void {
  program
    .command("probe")
    .description(
      "read the registers around an address once and rank every reading (address ±1, type, word order, scale) by plausibility",
    )
    .argument("<target>", "serial device (/dev/ttyUSB0) or Modbus TCP host[:port]")
    .requiredOption(
      "--address <n>",
      "wire (PDU) address of the value, 0…65535 (0x… for hex)",
      integer("address", 0, 65535),
    )
    .option("--unit <n>", "Modbus unit id (slave address)", integer("unit", 1, 247), 1)
    .option(
      "--function <fn>",
      "holding (FC03) or input (FC04) registers",
      oneOf("function", ["holding", "input"] as const),
      "holding",
    )
    .option(
      "--quantity <name>",
      "what the value should be, e.g. voltage_l1, voltage_l1_l2, frequency, current_l1",
      quantity,
      "voltage_l1",
    )
    .option("--count <n>", "registers from the address the value may span", integer("count", 1, 120), 4)
    .option("--baud <rate>", "serial: baud rate", integer("baud", 300, 921600), 9600)
    .option(
      "--parity <parity>",
      "serial: none, even or odd",
      oneOf("parity", ["none", "even", "odd"] as const),
      "none",
    )
    .option("--data-bits <n>", "serial: data bits", integer("data-bits", 7, 8), 8)
    .option("--stop-bits <n>", "serial: stop bits", integer("stop-bits", 1, 2), 1)
    .option("--timeout <ms>", "response timeout in milliseconds", integer("timeout", 10, 60000), 1000)
    .option("--top <n>", "readings to list", integer("top", 1, 1000), 10)
    .option("--all", "list implausible readings too")
    .option("--json", "print every reading as JSON")
    .action(async (target: string, options: ProbeOptions) => {
      let transport: Transport | undefined;
      try {
        transport = transportFor(target, options);
        const result = await probe(transport, {
          unitId: options.unit,
          function: options.function,
          address: options.address,
          count: options.count,
          quantity: options.quantity,
        });
        if (options.json === true) process.stdout.write(JSON.stringify(probeToJson(result), null, 2) + "\n");
        else {
          process.stdout.write(
            `${transport.name}: ${formatProbe(result, { top: options.top, all: options.all === true })}`,
          );
        }
        process.exitCode = result.candidates[0]?.plausible === true ? 0 : 1;
      } catch (error) {
        if (error instanceof ProbeError) {
          process.stderr.write(`ampx probe: ${error.message}\n  ${hint(error, target)}\n`);
        } else if (error instanceof TransportError || error instanceof Error) {
          process.stderr.write(`ampx probe: ${error.message}\n`);
        } else throw error;
        process.exitCode = 2;
      } finally {
        await transport?.close();
      }
    });
}
