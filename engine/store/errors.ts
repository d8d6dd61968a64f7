/** A database problem the store cannot recover from by itself (failed migration, unreadable file, bad row). */
export class StoreError extends Error {
  override name = "StoreError" as const;
  constructor(
    readonly code: "STORE_E_MIGRATION" | "STORE_E_OPEN" | "STORE_E_CORRUPT_ROW" | "STORE_E_CLOSED",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
