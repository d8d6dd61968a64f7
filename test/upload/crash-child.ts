// The gateway's storage/upload path as a child process for test/upload/crash.test.ts: store + aggregator +
// sender against a sink, fed with synthetic samples every 100 ms, 2-second intervals. The test kills it
// with SIGKILL at random moments and restarts it.
// Usage: tsx crash-child.ts <db file> <sink url>
import { Aggregator } from "../../engine/aggregate/index.js";
import type { Sample } from "../../engine/model.js";
import { Store } from "../../engine/store/index.js";
import { createOutboxBuilder, Sender, serialFromStore } from "../../engine/upload/index.js";
import { crashSite, syntheticSamples } from "./fixtures.js";

const [dbFile, sinkUrl] = process.argv.slice(2);
if (!dbFile || !sinkUrl) throw new Error("usage: crash-child.ts <db file> <sink url>");

const site = crashSite(sinkUrl);
const store = Store.open(dbFile);
const aggregator = new Aggregator({
  site,
  store,
  graceMs: 300,
  tickMs: 50,
  outbox: createOutboxBuilder(site, serialFromStore(site, store)),
});
const sender = new Sender({ site, store, idleCheckMs: 200 });
aggregator.on("closed", () => sender.notify());
aggregator.start();
sender.start();
const identity: Sample[] = site.meters.map((m) => ({
  meterId: m.id,
  quantity: "serial_number",
  value: `SN-${m.unitId}`,
  unit: "",
  quality: "good",
  timestamp: Date.now(),
}));
aggregator.ingest(identity);
const poll = setInterval(() => aggregator.ingest(syntheticSamples(site, Date.now())), 100);
console.log("ready");

// SIGTERM: a clean shutdown that finishes the work — stop polling, let the open intervals close and the
// outbox drain (at most 10 s), then stop. The test uses it for the final run.
process.once("SIGTERM", () => {
  clearInterval(poll);
  const deadline = Date.now() + 10_000;
  const finish = (): void => {
    if (
      Date.now() < deadline &&
      (aggregator.openIntervals().length > 0 || store.uploadStatus().pending > 0)
    ) {
      setTimeout(finish, 50);
      return;
    }
    aggregator.stop();
    void sender.stop().then(() => {
      store.close();
      process.exit(0);
    });
  };
  finish();
});
