// A schema-valid, lint-clean profile → ResolvedProfile: defaults applied, wire addresses, counts,
// canonical units and poll classes spelled out, so no later stage looks at the raw file again.
import type { ResolvedProfile, ResolvedRegister } from "../model.js";
import type { Profile, QuantityRegister } from "./schema-types.js";
import { LIMIT_DEFAULTS, POLL_CLASS_BY_KIND, PROFILE_DEFAULTS, REGISTER_DEFAULTS } from "./defaults.js";
import { quantityInfo } from "./quantities.js";
import { registerSpan } from "./register-layout.js";

function resolveRegister(profile: Profile, register: QuantityRegister): ResolvedRegister {
  const info = quantityInfo(register.quantity);
  if (info === undefined) throw new Error(`quantity ${register.quantity} is not in the vocabulary`);
  const span = registerSpan(profile, register);
  const resolved: ResolvedRegister = {
    quantity: register.quantity,
    kind: info.kind,
    canonicalUnit: info.unit,
    function: span.function,
    address: span.start,
    count: span.count,
    type: register.type,
    wordOrder: register.wordOrder ?? profile.defaults.wordOrder ?? PROFILE_DEFAULTS.wordOrder,
    multiplier: register.multiplier ?? REGISTER_DEFAULTS.multiplier,
    offset: register.offset ?? REGISTER_DEFAULTS.offset,
    unit: register.unit ?? info.unit,
    sentinels: [...(register.sentinels ?? [])],
    pollClass: register.pollClass ?? POLL_CLASS_BY_KIND[info.kind],
  };
  if (register.label !== undefined) resolved.label = register.label;
  if (register.range !== undefined) resolved.range = { ...register.range };
  return resolved;
}

/** `id` is "<vendor-slug>/<model-slug>"; `file` the absolute path it was read from. */
export function resolveProfile(profile: Profile, id: string, file: string): ResolvedProfile {
  const base = profile.addressBase ?? PROFILE_DEFAULTS.addressBase;
  const limits = profile.limits ?? {};
  const serial = profile.defaults.serial ?? {};
  return {
    id,
    file,
    vendor: profile.vendor,
    model: profile.model,
    status: profile.verification.status,
    caveats: [...(profile.verification.caveats ?? [])],
    defaults: {
      unitId: profile.defaults.unitId ?? PROFILE_DEFAULTS.unitId,
      tcpPort: profile.defaults.tcpPort ?? PROFILE_DEFAULTS.tcpPort,
      serial: {
        baudRate: serial.baudRate ?? PROFILE_DEFAULTS.serial.baudRate,
        parity: serial.parity ?? PROFILE_DEFAULTS.serial.parity,
        dataBits: serial.dataBits ?? PROFILE_DEFAULTS.serial.dataBits,
        stopBits: serial.stopBits ?? PROFILE_DEFAULTS.serial.stopBits,
      },
    },
    limits: {
      maxRegistersPerRead: limits.maxRegistersPerRead ?? LIMIT_DEFAULTS.maxRegistersPerRead,
      maxGapRegisters: limits.maxGapRegisters ?? LIMIT_DEFAULTS.maxGapRegisters,
      evenAlignment: limits.evenAlignment ?? LIMIT_DEFAULTS.evenAlignment,
      noReadAcross: (limits.noReadAcross ?? []).map((hole) => {
        const wire: ResolvedProfile["limits"]["noReadAcross"][number] = {
          start: hole.start - base,
          end: hole.end - base,
        };
        if (hole.function !== undefined) wire.function = hole.function;
        return wire;
      }),
    },
    identification: [...(profile.identification ?? [])],
    registers: profile.quantities.map((register) => resolveRegister(profile, register)),
    source: profile,
  };
}
