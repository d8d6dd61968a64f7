// One simulated meter: its profile's register map filled with values from the electrical model,
// the faults injected into it, and the values a test has pinned. It answers request PDUs; the
// TCP and RTU servers only carry the bytes.
import type { QuantityName, RegisterFunction, ResolvedProfile, ResolvedRegister } from "../model.js";
import { encodeRaw, encodeRegister } from "../decode/encode.js";
import { ElectricalModel } from "./electrical-model.js";
import { EnergyCounters, phasePowers } from "./energy-counters.js";
import type { Fault, FaultKind } from "./faults.js";
import {
  ExceptionCode,
  exceptionReply,
  parseRequest,
  readReply,
  writeMultipleReply,
  writeSingleReply,
  type ModbusRequest,
} from "./pdu.js";
import { COUNTER_QUANTITIES, measuredQuantities, type DemandValues } from "./quantities.js";
import { hashString, mix, SeededRandom } from "./random.js";
import { RegisterMap } from "./register-map.js";

export interface SimulatedMeterOptions {
  /** Meter id, as in the site. */
  id: string;
  profile: ResolvedProfile;
  unitId: number;
  /** Seed of the simulation; the same seed serves the same values. @default 1 */
  seed?: number;
  /** Serial number to serve on serial_number (else a seeded one). */
  serialNumber?: string;
  /** Clock in epoch ms; tests pass a fixed or stepped clock. @default Date.now */
  now?: () => number;
  /** @default 230 */
  nominalVoltage?: number;
  /** Length of the load's daily cycle. @default 86_400_000 */
  dayLengthMs?: number;
}

/** What a server must do with one request addressed to this meter. */
export type MeterReply =
  | {
      action: "reply";
      pdu: Buffer;
      /** Unit id to put in the reply (another than asked for under the wrong-unit-id fault). */
      unitId: number;
      delayMs: number;
      /** RTU only: send a CRC that does not check. */
      corruptCrc: boolean;
    }
  /** Say nothing: the client times out. */
  | { action: "silence"; delayMs: number }
  /** TCP: close the connection; RTU: say nothing. */
  | { action: "drop" };

/** What the meter served last, so tests can compare a client's decoding with the truth. */
export interface ServedRead {
  at: number;
  function: RegisterFunction;
  start: number;
  count: number;
  words: number[];
  /** Values (canonical units) of the quantities inside the read, as encoded. */
  values: Partial<Record<QuantityName, number | string>>;
}

export interface MeterStats {
  requests: number;
  replies: number;
  exceptions: number;
  /** Requests a fault changed (silenced, delayed, corrupted, …). */
  faulted: number;
  lastRequestAt: number | null;
}

const DEMAND_WINDOW_MS = 15 * 60_000;

export class SimulatedMeter {
  readonly id: string;
  readonly unitId: number;
  readonly profile: ResolvedProfile;
  readonly map: RegisterMap;
  readonly model: ElectricalModel;
  private readonly counters: EnergyCounters;
  private readonly now: () => number;
  private readonly identity: Partial<Record<QuantityName, number | string>>;
  private readonly pinned = new Map<QuantityName, number | string>();
  private readonly activeFaults = new Map<FaultKind, Fault>();
  /** Holding registers written with FC06/FC16; they override the computed image. */
  private readonly written = new Map<number, number>();
  private demandMax = { activePower: 0, apparentPower: 0, current: 0 };
  private demandCache: { second: number; values: DemandValues } | undefined;
  private computed: { at: number; values: Partial<Record<QuantityName, number | string>> } | undefined;
  private served: ServedRead | undefined;
  private readonly counts: MeterStats = {
    requests: 0,
    replies: 0,
    exceptions: 0,
    faulted: 0,
    lastRequestAt: null,
  };

  constructor(options: SimulatedMeterOptions) {
    this.id = options.id;
    this.unitId = options.unitId;
    this.profile = options.profile;
    this.now = options.now ?? Date.now;
    const seed = options.seed ?? 1;
    this.map = new RegisterMap(options.profile);
    this.model = new ElectricalModel({
      seed,
      key: options.id,
      ...(options.nominalVoltage === undefined ? {} : { nominalVoltage: options.nominalVoltage }),
      ...(options.dayLengthMs === undefined ? {} : { dayLengthMs: options.dayLengthMs }),
    });
    this.counters = new EnergyCounters(this.model, this.now());
    this.identity = identityValues(seed, options);
  }

  // ---- control API --------------------------------------------------------------------------

  /** Switches a fault on (replacing one of the same kind). counter-reset acts at once. */
  inject(fault: Fault): this {
    if (fault.kind === "counter-reset") {
      this.counters.advance(this.now());
      this.counters.reset();
      this.computed = undefined;
      return this;
    }
    this.activeFaults.set(fault.kind, { ...fault });
    return this;
  }

  /** Switches off one kind of fault, or all of them. */
  clear(kind?: FaultKind): this {
    if (kind === undefined) this.activeFaults.clear();
    else this.activeFaults.delete(kind);
    return this;
  }

  /**
   * Sets a quantity. An instantaneous or identity quantity stays pinned to the value until unset();
   * a counter jumps to the value and keeps counting from there.
   */
  set(quantity: QuantityName, value: number | string): this {
    const counter = COUNTER_QUANTITIES[quantity];
    if (counter !== undefined && typeof value === "number") {
      this.counters.advance(this.now());
      this.counters.setCounter(counter.counter, counter.phase, value);
      this.computed = undefined;
      return this;
    }
    this.pinned.set(quantity, value);
    return this;
  }

  /** Releases one pinned quantity, or all of them. */
  unset(quantity?: QuantityName): this {
    if (quantity === undefined) this.pinned.clear();
    else this.pinned.delete(quantity);
    return this;
  }

  faults(): Fault[] {
    return [...this.activeFaults.values()].map((f) => ({ ...f }));
  }

  pins(): Partial<Record<QuantityName, number | string>> {
    return Object.fromEntries(this.pinned) as Partial<Record<QuantityName, number | string>>;
  }

  stats(): MeterStats {
    return { ...this.counts };
  }

  /** The last read this meter answered, or undefined. */
  lastServed(): ServedRead | undefined {
    return this.served === undefined ? undefined : { ...this.served, words: [...this.served.words] };
  }

  /**
   * Every quantity of the profile as the meter would serve it now (canonical units, after pins and
   * value faults; NaN under the nan fault). Advances the energy counters to now.
   */
  values(): Partial<Record<QuantityName, number | string>> {
    const all = this.computeAll(this.now());
    const result: Partial<Record<QuantityName, number | string>> = {};
    for (const reg of this.profile.registers) {
      const value = all[reg.quantity];
      if (value !== undefined) result[reg.quantity] = this.faultedValue(reg, value);
    }
    return result;
  }

  // ---- Modbus -------------------------------------------------------------------------------

  /** Answers one request PDU addressed to this meter's unit id. */
  handle(pdu: Buffer): MeterReply {
    const at = this.now();
    this.counts.requests++;
    this.counts.lastRequestAt = at;
    const faultsNow = this.takeFaults();
    if (faultsNow.length > 0) this.counts.faulted++;
    const has = <K extends FaultKind>(kind: K): Extract<Fault, { kind: K }> | undefined =>
      faultsNow.find((f) => f.kind === kind) as Extract<Fault, { kind: K }> | undefined;
    const delayMs = has("delay")?.ms ?? 0;

    if (has("drop-connection")) return { action: "drop" };
    if (has("timeout")) return { action: "silence", delayMs };

    const request = parseRequest(pdu);
    const exceptionFault = has("exception");
    let reply: Buffer;
    if (exceptionFault) {
      reply = exceptionReply(request.function, exceptionFault.code);
    } else {
      reply = this.answer(request, at, faultsNow);
      if (has("wrong-byte-count") && request.kind === "read" && reply.length > 4 && (reply[0] ?? 0) < 0x80) {
        // A consistent frame that simply carries one register less than asked for.
        const words: number[] = [];
        for (let i = 2; i + 1 < reply.length; i += 2) words.push(reply.readUInt16BE(i));
        reply = readReply(request.function, words.slice(0, -1));
      }
    }
    if ((reply[0] ?? 0) & 0x80) this.counts.exceptions++;
    this.counts.replies++;
    const wrongUnit = has("wrong-unit-id");
    return {
      action: "reply",
      pdu: reply,
      unitId: wrongUnit ? (wrongUnit.unitId ?? (this.unitId % 247) + 1) : this.unitId,
      delayMs,
      corruptCrc: has("bad-crc") !== undefined,
    };
  }

  /** The faults that apply to this request; counts down the ones given a number of times. */
  private takeFaults(): Fault[] {
    const applying = [...this.activeFaults.values()];
    for (const fault of applying) {
      if (!("times" in fault) || fault.times === undefined) continue;
      if (fault.times <= 1) this.activeFaults.delete(fault.kind);
      else fault.times--;
    }
    return applying;
  }

  private answer(request: ModbusRequest, at: number, faultsNow: Fault[]): Buffer {
    switch (request.kind) {
      case "unsupported":
        return exceptionReply(request.function, ExceptionCode.illegalFunction);
      case "malformed":
        return exceptionReply(request.function, ExceptionCode.illegalDataValue);
      case "read": {
        const fn: RegisterFunction = request.function === 0x03 ? "holding" : "input";
        const refused = this.map.checkRead(fn, request.start, request.count);
        if (refused !== undefined) return exceptionReply(request.function, refused);
        try {
          const words = this.readWords(fn, request.start, request.count, at, faultsNow);
          return readReply(request.function, words);
        } catch {
          return exceptionReply(request.function, ExceptionCode.serverDeviceFailure);
        }
      }
      case "write-single":
      case "write-multiple": {
        const start = request.kind === "write-single" ? request.address : request.start;
        const values = request.kind === "write-single" ? [request.value] : request.values;
        for (let i = 0; i < values.length; i++) {
          if (!this.map.isReadable("holding", start + i)) {
            return exceptionReply(request.function, ExceptionCode.illegalDataAddress);
          }
        }
        values.forEach((v, i) => this.written.set(start + i, v));
        return request.kind === "write-single"
          ? writeSingleReply(request.address, request.value)
          : writeMultipleReply(request.start, request.count);
      }
    }
  }

  private readWords(
    fn: RegisterFunction,
    start: number,
    count: number,
    at: number,
    faultsNow: Fault[],
  ): number[] {
    const words = new Array<number>(count).fill(0);
    const all = this.computeAll(at);
    const served: ServedRead["values"] = {};
    for (const reg of this.map.registersIn(fn, start, count)) {
      const computed = all[reg.quantity];
      if (computed === undefined) continue;
      const value = this.faultedValue(reg, computed, faultsNow);
      const regWords = this.encode(reg, value);
      regWords.forEach((w, k) => {
        const index = reg.address + k - start;
        if (index >= 0 && index < count) words[index] = w;
      });
      served[reg.quantity] = value;
    }
    if (fn === "holding") {
      for (let i = 0; i < count; i++) {
        const w = this.written.get(start + i);
        if (w !== undefined) words[i] = w;
      }
    }
    this.served = { at, function: fn, start, count, words: [...words], values: served };
    return words;
  }

  /** The value after pins and value faults (nan → NaN, out-of-range → the fault's value). */
  private faultedValue(
    reg: ResolvedRegister,
    value: number | string,
    faultsNow: Fault[] = [...this.activeFaults.values()],
  ): number | string {
    if (reg.kind === "identity") return value;
    for (const fault of faultsNow) {
      if (fault.kind === "nan" && (fault.quantity === undefined || fault.quantity === reg.quantity))
        return NaN;
      if (fault.kind === "out-of-range") {
        const applies =
          fault.quantity === undefined ? reg.canonicalUnit === "V" : fault.quantity === reg.quantity;
        if (applies) return fault.value ?? defaultOutOfRange(reg);
      }
    }
    return value;
  }

  private encode(reg: ResolvedRegister, value: number | string): number[] {
    if (typeof value === "number" && Number.isNaN(value) && reg.type !== "f32" && reg.type !== "f64") {
      // Integers cannot hold NaN: meters send their "not available" pattern instead.
      const sentinel = reg.sentinels[0];
      if (sentinel !== undefined) return encodeRaw(reg.type, reg.wordOrder, sentinel);
      return new Array<number>(reg.count).fill(0xffff);
    }
    if (reg.type === "string") return encodeRegister(reg, String(value).slice(0, reg.count * 2));
    const numeric = typeof value === "number" ? value : Number(value);
    return encodeRegister(reg, Number.isFinite(numeric) || Number.isNaN(numeric) ? numeric : 0, {
      clamp: true,
    });
  }

  /** Every quantity the model knows at `at`, then the pins on top. */
  private computeAll(at: number): Partial<Record<QuantityName, number | string>> {
    // Reads of one poll arrive within the same millisecond often enough to reuse the evaluation.
    if (this.computed?.at !== at) {
      const state = this.model.at(at);
      const counters = this.counters.advance(at);
      const values: Partial<Record<QuantityName, number | string>> = measuredQuantities(
        state,
        counters,
        this.demand(at),
      );
      Object.assign(values, this.identity);
      this.computed = { at, values };
    }
    if (this.pinned.size === 0) return this.computed.values;
    const values = { ...this.computed.values };
    for (const [quantity, value] of this.pinned) values[quantity] = value;
    return values;
  }

  /** 15-minute sliding averages (sampled, recomputed at most once a second) and their maxima since start. */
  private demand(at: number): DemandValues {
    const second = Math.floor(at / 1000);
    if (this.demandCache?.second === second) return this.demandCache.values;
    let p = 0;
    let s = 0;
    let i = 0;
    const samples = 5;
    for (let k = 0; k < samples; k++) {
      const state = this.model.at(at - (DEMAND_WINDOW_MS * (k + 0.5)) / samples);
      const powers = phasePowers(state);
      p += powers.active.reduce((a, b) => a + b, 0) / samples;
      s += powers.apparent.reduce((a, b) => a + b, 0) / samples;
      i += state.current.reduce((a, b) => a + b, 0) / 3 / samples;
    }
    this.demandMax = {
      activePower: Math.max(this.demandMax.activePower, p),
      apparentPower: Math.max(this.demandMax.apparentPower, s),
      current: Math.max(this.demandMax.current, i),
    };
    const values = {
      activePower: p,
      activePowerMax: this.demandMax.activePower,
      apparentPower: s,
      apparentPowerMax: this.demandMax.apparentPower,
      current: i,
      currentMax: this.demandMax.current,
    };
    this.demandCache = { second, values };
    return values;
  }
}

function defaultOutOfRange(reg: ResolvedRegister): number {
  if (reg.canonicalUnit === "V") return 9999;
  const max = reg.range?.max;
  return max !== undefined ? Math.abs(max) * 10 + 1000 : 1e9;
}

/** Identification values: numbers where the register is numeric, text where it is a string. */
function identityValues(
  seed: number,
  options: Pick<SimulatedMeterOptions, "id" | "profile" | "serialNumber">,
): Partial<Record<QuantityName, number | string>> {
  const random = new SeededRandom(mix(seed, hashString(options.id), 0x1d));
  const serialText = options.serialNumber ?? String(24_000_000 + Math.floor(random.next() * 999_999));
  const modelDigits = /\d+/.exec(options.profile.model)?.[0];
  const typeOf = (q: QuantityName): string | undefined =>
    options.profile.registers.find((r) => r.quantity === q)?.type;
  const pick = (q: QuantityName, text: string, number: number): number | string =>
    typeOf(q) === "string" ? text : number;
  const serialNumber = /^\d+$/.test(serialText) ? Number(serialText) : hashString(serialText) % 100_000_000;
  return {
    serial_number: pick("serial_number", serialText, serialNumber),
    model_code: pick(
      "model_code",
      options.profile.model,
      modelDigits === undefined ? 1 : Number(modelDigits),
    ),
    firmware_version: pick("firmware_version", "1.04", 104),
    hardware_version: pick("hardware_version", "2.0", 20),
    wiring_mode: 0,
    ct_ratio: [50, 100, 150, 200, 400][Math.floor(random.next() * 5)] ?? 100,
    vt_ratio: 1,
  };
}
