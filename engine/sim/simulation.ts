// A running simulation of a site, as `ampx simulate` and the demo start it: the simulator, its
// optional HTTP control API and, for an RTU site, an optional socat pty pair to serve on.
import type { ResolvedSite } from "../model.js";
import { SimControlServer } from "./control-server.js";
import type { SimEventListener } from "./events.js";
import { createPtyPair, type PtyPair } from "./pty-pair.js";
import { Simulator, type SimEndpoint } from "./simulator.js";

export interface SimulationOptions {
  site: ResolvedSite;
  /** @default 1 */
  seed?: number;
  /** Serve the HTTP control API on 127.0.0.1 at this port (0: a free one); none when absent. */
  controlPort?: number;
  /** RTU: serial device to serve instead of the site's transport.port. */
  rtuPort?: string;
  /** RTU: create a socat pty pair, serve one end and report the other (overrides rtuPort). */
  pty?: boolean;
  /** RTU: emulate wire time. @default true */
  wireTime?: boolean;
  /** RTU: meters' think time between request and reply. @default 3.5 character times */
  turnaroundMs?: number;
  /** Length of the load's daily cycle. @default 86_400_000 */
  dayLengthMs?: number;
  now?: () => number;
  onEvent?: SimEventListener;
}

export interface RunningSimulation {
  simulator: Simulator;
  endpoints: SimEndpoint[];
  /** Base URL of the control API, when started. */
  controlUrl?: string;
  /** RTU: the device a client opens (the pty's other end, else the served device). */
  clientRtuPort?: string;
  /** Stops the servers, the control API and socat. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startSimulation(options: SimulationOptions): Promise<RunningSimulation> {
  let pty: PtyPair | undefined;
  let control: SimControlServer | undefined;
  let simulator: Simulator | undefined;
  const stop = async (): Promise<void> => {
    await control?.close();
    await simulator?.stop();
    await pty?.close();
    control = undefined;
    pty = undefined;
  };
  try {
    const rtu = options.site.transport.type === "rtu";
    if (rtu && options.pty === true) pty = await createPtyPair();
    const rtuPort = pty?.simulatorEnd ?? options.rtuPort;
    simulator = new Simulator({
      site: options.site,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(rtuPort === undefined ? {} : { rtuPort }),
      ...(options.wireTime === undefined ? {} : { wireTime: options.wireTime }),
      ...(options.turnaroundMs === undefined ? {} : { turnaroundMs: options.turnaroundMs }),
      ...(options.dayLengthMs === undefined ? {} : { dayLengthMs: options.dayLengthMs }),
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    });
    const endpoints = await simulator.start();
    let controlUrl: string | undefined;
    if (options.controlPort !== undefined) {
      control = new SimControlServer(simulator, { port: options.controlPort });
      controlUrl = (await control.listen()).url;
    }
    const clientRtuPort = rtu
      ? (pty?.clientEnd ?? rtuPort ?? (options.site.transport as { port: string }).port)
      : undefined;
    return {
      simulator,
      endpoints,
      ...(controlUrl === undefined ? {} : { controlUrl }),
      ...(clientRtuPort === undefined ? {} : { clientRtuPort }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
