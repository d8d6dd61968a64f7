// The meter simulator: simulated meters driven by the profiles, served over Modbus TCP and RTU,
// with fault injection, wire-time emulation and a control API.
export { Simulator, SimulatorConfigError, UnknownMeterError } from "./simulator.js";
export type { SimulatorOptions, SimEndpoint } from "./simulator.js";
export { SimulatedMeter } from "./simulated-meter.js";
export type { SimulatedMeterOptions, MeterReply, ServedRead, MeterStats } from "./simulated-meter.js";
export { SimTcpServer } from "./tcp-server.js";
export type { SimTcpServerOptions } from "./tcp-server.js";
export { SimRtuServer, SerialOpenError } from "./rtu-server.js";
export type { SimRtuServerOptions } from "./rtu-server.js";
export { SimControlServer } from "./control-server.js";
export type { SimControlServerOptions } from "./control-server.js";
export { SimulatorControlClient, SimulatorControlError } from "./control-client.js";
export type { RemoteMeterState } from "./control-client.js";
export { FAULT_KINDS, FaultError, parseFault } from "./faults.js";
export type { Fault, FaultKind } from "./faults.js";
export type { SimEvent, SimEventListener } from "./events.js";
export { createPtyPair, PtyPairError } from "./pty-pair.js";
export type { PtyPair } from "./pty-pair.js";
export {
  charBits,
  charTimeMs,
  frameTimeMs,
  frameSilenceMs,
  readTransactionTimeMs,
  rtuReadReplyBytes,
  RTU_READ_REQUEST_BYTES,
} from "./wire-time.js";
export type { SerialSettings } from "./wire-time.js";
export { startSimulation } from "./simulation.js";
export type { SimulationOptions, RunningSimulation } from "./simulation.js";
