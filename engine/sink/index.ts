// engine/sink: the local upload receiver (`ampx sink`), the demo's and the tests' central API.
export { parseFailure, Sink } from "./server.js";
export type { ReceivedRecord, SinkFailure, SinkOptions } from "./server.js";
