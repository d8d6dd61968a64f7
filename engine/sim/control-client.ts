// A small client of the simulator's HTTP control API, for tests that drive an `ampx simulate`
// running in another process.
import type { QuantityName } from "../model.js";
import type { Fault, FaultKind } from "./faults.js";
import type { MeterStats } from "./simulated-meter.js";
import type { SimEndpoint } from "./simulator.js";

export interface RemoteMeterState {
  id: string;
  unitId: number;
  profile: string;
  endpoint: SimEndpoint;
  faults: Fault[];
  pinned: Partial<Record<QuantityName, number | string>>;
  stats: MeterStats;
}

/** The control API answered with an error. */
export class SimulatorControlError extends Error {
  override name = "SimulatorControlError" as const;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class SimulatorControlClient {
  /** @param baseUrl e.g. "http://127.0.0.1:8502" (what `ampx simulate --control-port` prints) */
  constructor(private readonly baseUrl: string) {}

  async meters(): Promise<RemoteMeterState[]> {
    return ((await this.call("GET", "/meters")) as { meters: RemoteMeterState[] }).meters;
  }

  async meter(id: string): Promise<RemoteMeterState & { values: Record<string, number | string | null> }> {
    return (await this.call("GET", `/meters/${encodeURIComponent(id)}`)) as RemoteMeterState & {
      values: Record<string, number | string | null>;
    };
  }

  /** Values served now; NaN comes back as null. */
  async values(id: string): Promise<Record<string, number | string | null>> {
    return (
      (await this.call("GET", `/meters/${encodeURIComponent(id)}/values`)) as {
        values: Record<string, number | string | null>;
      }
    ).values;
  }

  inject(id: string, fault: Fault): Promise<RemoteMeterState> {
    return this.call("POST", `/meters/${encodeURIComponent(id)}/fault`, fault) as Promise<RemoteMeterState>;
  }

  clear(id: string, kind?: FaultKind): Promise<RemoteMeterState> {
    const query = kind === undefined ? "" : `?kind=${encodeURIComponent(kind)}`;
    return this.call(
      "DELETE",
      `/meters/${encodeURIComponent(id)}/fault${query}`,
    ) as Promise<RemoteMeterState>;
  }

  /** Pins quantities (null releases one); a counter jumps to the value and keeps counting. */
  set(id: string, values: Partial<Record<QuantityName, number | string | null>>): Promise<RemoteMeterState> {
    return this.call("POST", `/meters/${encodeURIComponent(id)}/values`, values) as Promise<RemoteMeterState>;
  }

  unset(id: string): Promise<RemoteMeterState> {
    return this.call("DELETE", `/meters/${encodeURIComponent(id)}/values`) as Promise<RemoteMeterState>;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const payload = (await response.json()) as { error?: { code: string; message: string } };
    if (!response.ok) {
      throw new SimulatorControlError(
        response.status,
        payload.error?.code ?? "SIM_E_HTTP",
        payload.error?.message ?? `HTTP ${response.status}`,
      );
    }
    return payload;
  }
}
