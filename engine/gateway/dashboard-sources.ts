// Adapters from the store and the sender to the narrow interfaces the dashboard reads (engine/web/sources.ts).
import { quantityInfo } from "../config/quantities.js";
import type { CanonicalUnit, QuantityName, Sample } from "../model.js";
import type { Store } from "../store/index.js";
import type { Sender } from "../upload/index.js";
import type { HistorySource, StorageInfo, UploadStatus, UploadStatusSource } from "../web/sources.js";

/** How many parked entries the status panel lists (newest first). */
const PARKED_SHOWN = 20;

export function storeHistory(store: Store): HistorySource {
  return {
    samples(meterId: string, quantity: QuantityName, since: number): Sample[] {
      const unit = (quantityInfo(quantity)?.unit ?? "") as CanonicalUnit;
      return store.recentSamples(meterId, quantity, since).map((p) => ({
        meterId,
        quantity,
        unit,
        value: p.value,
        quality: p.quality,
        timestamp: p.timestamp,
      }));
    },
    intervals: (meterId, from, to) => store.intervals(meterId, from, to),
  };
}

export function senderUploadStatus(sender: Sender, store: Store): UploadStatusSource {
  return {
    uploadStatus(): UploadStatus {
      const status = sender.status();
      const parked = store.outboxEntries({ state: "rejected", limit: PARKED_SHOWN, newestFirst: true });
      return {
        enabled: status.enabled,
        lastSuccessAt: status.lastSuccessAt,
        lastAttemptAt: status.lastAttemptAt,
        lastError:
          status.lastError === null || status.lastAttemptAt === null
            ? null
            : {
                message: status.lastError,
                at: status.lastAttemptAt,
                ...(status.lastStatus === null ? {} : { status: status.lastStatus }),
              },
        backlog: status.pending,
        oldestPendingStart: status.oldestPendingIntervalStart,
        nextAttemptAt: status.nextAttemptAt,
        parked: parked.map((entry) => ({
          key: entry.key,
          ...(entry.meterId === null ? {} : { meterId: entry.meterId }),
          intervalStart: entry.intervalStart,
          parkedAt: entry.lastAttempt ?? entry.created,
          reason:
            entry.lastStatus === null
              ? (entry.lastError ?? "rejected")
              : `HTTP ${entry.lastStatus}: ${entry.lastResponse ?? entry.lastError ?? ""}`.trim(),
          attempts: entry.attempts,
        })),
      };
    },
  };
}

export function storeInfo(store: Store): StorageInfo {
  return {
    storageStats: () => ({ sizeBytes: store.databaseSize().totalBytes, path: store.path }),
  };
}
