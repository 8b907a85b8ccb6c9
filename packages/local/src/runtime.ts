import { join } from 'node:path';
import { systemClock, type Clock, type LedgerHead, type UrlPolicy } from '@drumbeat/core';
import { channelFor, egressUrlPolicy, signedWebhookSender, sourceFor } from '@drumbeat/channels';
import { createDb, ensureTable, singleWriterCache, Store } from '@drumbeat/store';
import { aesGcmSealer, createServices, type Services } from '@drumbeat/services';
import { createApp } from '@drumbeat/api';
import type { LocalConfig } from './config.js';
import { embeddedDynamoOn, type EmbeddedDynamo } from './embedded-dynamo.js';
import { startEarly, type EarlyStart } from './early-start.js';
import { resolveAdminToken } from './admin-token.js';
import { loadOrCreateSealingKey } from './sealing-key.js';
import { bootstrapFirstWorkspace } from './bootstrap.js';
import type { Logger } from './logger.js';
import { LocalScheduler } from './scheduler/index.js';
import { mailerFromConfig } from './mail/index.js';
import { dispatchTimers } from './timer-dispatch.js';
import { startHttpFront, type HttpFront } from './http-front.js';
import { LedgerHeadsFile } from './ledger-heads-file.js';
import { assertNotRolledBack } from './rollback-check.js';
import { sealStoredSecrets } from './seal-stored-secrets.js';

/** A running embedded drumbeat. */
export interface Runtime {
  url: string;
  adminToken: string;
  store: Store;
  services: Services;
  scheduler: LocalScheduler;
  /** Set on the first start against a fresh table: the workspace created and its owner key. */
  firstWorkspace?: Awaited<ReturnType<typeof bootstrapFirstWorkspace>>;
  stop(): Promise<void>;
}

/** How long stop() waits for requests under way before closing their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

/** A request whose headers and body have not all arrived by then is cut (a stalled body must not hold a socket for minutes). */
const REQUEST_TIMEOUT_MS = 10_000;

/** Timeout of every outbound call (channels, webhooks). */
const OUTBOUND_TIMEOUT_MS = 10_000;

/**
 * Starts the embedded runtime: dynalite on loopback (on disk unless
 * `memory`), the table, the services, the durable scheduler and the HTTP API.
 * The composition root of `npm start`: the only place that picks
 * implementations.
 */
export async function startRuntime(
  config: LocalConfig,
  opts: { logger: Logger; clock?: Clock; urlPolicy?: UrlPolicy; early?: EarlyStart },
): Promise<Runtime> {
  const { logger } = opts;
  const clock = opts.clock ?? systemClock;
  // Before anything touches the data dir: one process at a time. `npm start` took it (and started the engine) before loading this module.
  const early = opts.early ?? startEarly(config);
  try {
    return await start(config, opts, logger, clock, early);
  } catch (err) {
    early.lock?.release();
    throw err;
  }
}

async function start(
  config: LocalConfig,
  opts: { urlPolicy?: UrlPolicy },
  logger: Logger,
  clock: Clock,
  early: EarlyStart,
): Promise<Runtime> {
  // Bind first so links can name the real port (PORT=0 picks a free one), while the engine's thread opens the store.
  const [bound, engine] = await Promise.allSettled([
    startHttpFront(config.host, config.port, { requestTimeoutMs: REQUEST_TIMEOUT_MS }),
    embeddedDynamoOn(early.engine),
  ]);
  const front = bound.status === 'fulfilled' ? bound.value : undefined;
  const dynamo = engine.status === 'fulfilled' ? engine.value : undefined;
  try {
    if (bound.status === 'rejected') throw bound.reason;
    if (engine.status === 'rejected') throw engine.reason;
    return await compose(config, opts, logger, clock, {
      front: front!,
      dynamo: dynamo!,
      unlock: () => early.lock?.release(),
    });
  } catch (err) {
    await front?.close(0);
    await dynamo?.close();
    throw err;
  }
}

/** What start() has opened before composing: closed by the runtime's stop(). */
interface Opened {
  front: HttpFront;
  dynamo: EmbeddedDynamo;
  unlock: () => void;
}

async function compose(
  config: LocalConfig,
  opts: { urlPolicy?: UrlPolicy },
  logger: Logger,
  clock: Clock,
  { front, dynamo, unlock }: Opened,
): Promise<Runtime> {
  const url = front.url;
  const db = createDb(dynamo.client, config.tableName);
  await ensureTable(dynamo.client, config.tableName);
  const store = new Store(db);
  // Ledger heads kept outside the store: a store behind them lost writes, and starting on it could republish.
  const heads = config.memory ? undefined : new LedgerHeadsFile(config.dataDir);
  if (heads) await assertNotRolledBack(store, heads.all(), config.dataDir);
  const scheduler = new LocalScheduler({
    db,
    clock,
    onError: (err, timer) => logger.error({ err, timer: timer.name }, 'timer handler failed; it will be retried'),
    // The data dir's OS lock makes this the table's only loop: a lease left by a crashed process is taken at once.
    exclusive: true,
  });
  const allowPrivate = config.allowPrivateUrls;
  const services = createServices(
    {
      // The store's files are locked to this process, the table's only writer: keys, accounts and voices may be kept in memory.
      store: singleWriterCache(store),
      clock,
      scheduler,
      urlPolicy: opts.urlPolicy ?? egressUrlPolicy({ allowPrivate }),
      webhookSender: signedWebhookSender({ allowPrivate, timeoutMs: OUTBOUND_TIMEOUT_MS }),
      channelFor: (c) => channelFor(c, { allowPrivate, timeoutMs: OUTBOUND_TIMEOUT_MS }),
      sourceFor: (c) => sourceFor(c, { allowPrivate, timeoutMs: OUTBOUND_TIMEOUT_MS }),
      sealer: aesGcmSealer(loadOrCreateSealingKey(config.memory ? undefined : config.dataDir)),
      mailer: mailerFromConfig({
        smtpUrl: config.smtpUrl,
        outboxDir: join(config.dataDir, 'outbox'),
        from: config.mailFrom,
        logger,
      }),
      publicUrl: config.publicUrl ?? url,
      logger,
      ...(heads
        ? {
            durability: {
              flush: () => dynamo.flush(),
              ledgerHead: (ws: string, head: LedgerHead) => heads.record(ws, head),
            },
          }
        : {}),
      // The store's files are locked to this process: it is the only writer.
      singleWriter: true,
    },
    {
      // For the same reason a claim left by another instance belongs to a process that is gone: recover it at once.
      publisher: { foreignClaimStaleMs: 0 },
      webhooks: { disableAfter: config.webhookDisableAfter },
      reviews: { digestWindowMs: config.reviewDigestWindowMs },
    },
  );
  const admin = resolveAdminToken(config.adminToken, config.memory ? undefined : config.dataDir);
  // Past the rollback check nothing here waits for another: the one-time sealing pass (secrets an older
  // version stored in clear are sealed before anything can read them) and the first start's bootstrap go
  // to the store together, and the app is built while they are under way.
  const sealing = sealStoredSecrets(db, services, clock.now());
  const bootstrapping = bootstrapFirstWorkspace(store, services, clock.now());
  const app = createApp(services, {
    adminToken: admin.token,
    maxBodyBytes: 256 * 1024,
    rateLimit: config.rateLimit,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
  });
  const [sealedAtBoot, firstWorkspace] = await Promise.all([sealing, bootstrapping]);
  if (sealedAtBoot)
    logger.info({ rows: sealedAtBoot }, 'sealed channel and webhook secrets stored in clear by an older version');
  front.serve(app.fetch);
  scheduler.start(dispatchTimers(services, logger));
  logger.info(
    { url, dataDir: config.memory ? '(memory)' : config.dataDir, dynamo: dynamo.endpoint },
    'drumbeat is listening',
  );

  let stopped = false;
  return {
    url,
    adminToken: admin.token,
    store,
    services,
    scheduler,
    ...(firstWorkspace ? { firstWorkspace } : {}),
    async stop() {
      if (stopped) return;
      stopped = true;
      await front.close(SHUTDOWN_GRACE_MS);
      await scheduler.stop();
      await dynamo.close();
      unlock();
      logger.info('drumbeat stopped');
    },
  };
}
