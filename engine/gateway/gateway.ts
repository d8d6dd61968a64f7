// The composition root of `ampx run`: config → poller → (store + aggregator → outbox → sender) and the
// dashboard, wired once here so that every other module stays ignorant of the others.
import { Aggregator } from "../aggregate/index.js";
import { SiteConfigEditor } from "../config-edit/index.js";
import type { ConfigChangedEvent } from "../config-edit/index.js";
import type { Logger } from "../log.js";
import type { ResolvedSite } from "../model.js";
import { Poller, logPollerEvents } from "../poller/index.js";
import { RetentionTimer, Store } from "../store/index.js";
import { Sender, createOutboxBuilder, serialFromStore } from "../upload/index.js";
import { createWebServer } from "../web/server.js";
import type { WebServer } from "../web/server.js";
import { senderUploadStatus, storeHistory, storeInfo } from "./dashboard-sources.js";
import { LiveRelay } from "./live-relay.js";

export interface GatewayOptions {
  logger: Logger;
  /** Serve the dashboard. @default site.web.enabled */
  web?: boolean;
  /** Profiles folder for re-validating a site the dashboard changed. */
  profilesDir?: string;
  /** Log every sample batch. @default false */
  logSamples?: boolean;
  /** How often every meter's health is logged. @default 60000 */
  healthEveryMs?: number;
}

export interface Gateway {
  /** The site as currently applied (a dashboard change replaces it). */
  site(): ResolvedSite;
  readonly store: Store;
  readonly web: WebServer | undefined;
  /** The poller of the current site (replaced when a change needs a new read plan). */
  poller(): Poller;
  readonly live: LiveRelay;
  /** Stops polling, closes the intervals that are due, stops sending and closes the database. */
  stop(): Promise<void>;
}

export async function startGateway(initialSite: ResolvedSite, options: GatewayOptions): Promise<Gateway> {
  const { logger } = options;
  let site = initialSite;
  const store = Store.open(site.storage.path);
  const live = new LiveRelay();

  const outboxFor = (s: ResolvedSite) => createOutboxBuilder(s, serialFromStore(s, store));
  const newAggregator = (s: ResolvedSite): Aggregator => {
    const aggregator = new Aggregator({ site: s, store, outbox: outboxFor(s), logger });
    aggregator.on("closed", () => sender?.notify());
    aggregator.on("error", (error) => logger.error({ err: error }, "aggregation failed"));
    return aggregator;
  };
  const newSender = (s: ResolvedSite): Sender | undefined =>
    s.upload ? new Sender({ site: s, store, logger }) : undefined;

  let sender = newSender(site);
  let aggregator = newAggregator(site);
  aggregator.start();
  sender?.start();
  const retention = new RetentionTimer(
    store,
    {
      sampleRetentionMs: site.storage.sampleRetentionMs,
      intervalRetentionMs: site.storage.intervalRetentionMs,
    },
    (error) => logger.error({ err: error }, "retention pass failed"),
  );
  retention.start();

  let poller: Poller;
  let detachLogging: () => void = () => {};
  const startPoller = (s: ResolvedSite): void => {
    poller = new Poller(s);
    poller.on("samples", (samples) => aggregator.ingest(samples));
    detachLogging = logPollerEvents(poller, logger, {
      samples: options.logSamples === true,
      healthEveryMs: options.healthEveryMs ?? 60_000,
    });
    live.follow(poller);
    poller.start();
  };
  const stopPoller = async (): Promise<void> => {
    await poller.stop();
    detachLogging();
  };
  startPoller(site);

  const editor = new SiteConfigEditor(site, options.profilesDir ? { profilesDir: options.profilesDir } : {});
  const web =
    (options.web ?? site.web.enabled)
      ? await createWebServer({
          site,
          live,
          history: storeHistory(store),
          storage: storeInfo(store),
          configEditor: editor,
          logger,
          ...(sender ? { upload: senderUploadStatus(sender, store) } : {}),
        })
      : undefined;

  // Dashboard changes apply one at a time, in order, without restarting the process.
  let applying: Promise<void> = Promise.resolve();
  const apply = async (next: ResolvedSite): Promise<void> => {
    const previous = site;
    site = next;
    if (needsNewPlan(previous, next)) {
      await stopPoller();
      startPoller(next);
    }
    if (aggregator.intervalMs !== (next.upload?.intervalMs ?? aggregator.intervalMs)) {
      aggregator.tick();
      aggregator.stop();
      aggregator = newAggregator(next);
      aggregator.start();
    } else {
      aggregator.setSite(next, outboxFor(next));
    }
    if (sender && next.upload) sender.setSite(next);
    else if (!sender && next.upload) {
      sender = newSender(next);
      sender?.start();
    } else if (sender && !next.upload) {
      await sender.stop();
      sender = undefined;
    }
    logger.info({ site: next.id }, "configuration change applied");
  };
  editor.on("config-changed", (event: ConfigChangedEvent) => {
    applying = applying
      .then(() => apply(event.site))
      .catch((error: unknown) => {
        logger.error({ err: error }, "applying a configuration change failed");
      });
  });

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await applying;
      await web?.close();
      await stopPoller();
      // Samples of reads that were in flight are stored; close what is due so that nothing closed is pending.
      aggregator.tick();
      aggregator.stop();
      await sender?.stop();
      await retention.stop();
      store.close();
    })());

  return {
    site: () => site,
    store,
    web,
    poller: () => poller,
    live,
    stop,
  };
}

/** A change of meters, transport or poll intervals needs a new read plan and schedule. */
function needsNewPlan(a: ResolvedSite, b: ResolvedSite): boolean {
  const shape = (s: ResolvedSite) =>
    JSON.stringify({
      transport: s.transport,
      pollClasses: s.pollClasses,
      meters: s.meters.map((m) => ({ ...m, name: undefined, profile: m.profile.id })),
    });
  return shape(a) !== shape(b);
}
