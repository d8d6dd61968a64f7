// Read planning: profile → coalesced Modbus read blocks per poll class.
export { planMeter, planGroup, pollClassesOf, MODBUS_MAX_REGISTERS } from "./plan.js";
export type { Block } from "./plan.js";
