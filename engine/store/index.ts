// engine/store: the gateway's SQLite database (samples, intervals, outbox, aggregation state).
export { Store } from "./store.js";
export type {
  DatabaseSize,
  IdentityValue,
  IntervalClose,
  NewOutboxEntry,
  OutboxEntry,
  OutboxState,
  SamplePoint,
  StoredSample,
  UploadStatus,
} from "./store.js";
export { StoreError } from "./errors.js";
export { migrate, migrations } from "./migrations.js";
export type { Migration } from "./migrations.js";
export { runRetention, RetentionTimer } from "./retention.js";
export type { RetentionOptions, RetentionResult } from "./retention.js";
