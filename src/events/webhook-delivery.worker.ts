import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../common/metrics.service';
import { retryDelayMs, signatureHeaders } from './webhook-signature';
import { assertWebhookTarget, publicOnlyLookup } from './webhook-target';
import { AttemptOutcome, ClaimedDelivery, WebhooksRepository } from './webhooks.repository';

/** Deliveries in flight per node; the rest wait in the queue. */
const MAX_IN_FLIGHT = 16;
/** How long a claim stays ours beyond the request timeout before another node may retry it. */
const LEASE_MARGIN_MS = 30_000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Polls the durable queue, claims due deliveries (safe with several nodes), POSTs them signed,
 * and records each attempt: 2xx delivered; otherwise retried with backoff, then failed.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly shutdown = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private readonly attempts;

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.attempts = metrics.counter(
      'kilowatt_webhook_attempts_total',
      'Webhook delivery attempts by outcome',
      ['outcome'],
    );
    // Both gauges of one scrape read the same query.
    let read: { at: number; stats: ReturnType<WebhooksRepository['queueStats']> } | undefined;
    const queueStats = () => {
      if (!read || Date.now() - read.at > 1000) read = { at: Date.now(), stats: repo.queueStats() };
      return read.stats;
    };
    metrics.gauge('kilowatt_webhook_queue_depth', 'Webhook deliveries waiting (pending)', [], async () => [
      { value: (await queueStats()).depth },
    ]);
    metrics.gauge(
      'kilowatt_webhook_queue_oldest_age_seconds',
      'Age of the oldest waiting webhook delivery (0 when none waits)',
      [],
      async () => {
        const { oldest } = await queueStats();
        return [{ value: oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0 }];
      },
    );
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.poll(), this.config.webhooks.pollIntervalMs);
    this.timer.unref();
    this.pruneTimer = setInterval(() => void this.pruneLog(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  /** Keeps the delivery log bounded: drops finished deliveries past the retention period. */
  async pruneLog(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.webhooks.logRetentionDays * DAY_MS);
    try {
      return await this.repo.pruneFinishedBefore(cutoff);
    } catch (err) {
      this.logger.error({ err }, 'Could not prune the webhook delivery log');
      return 0;
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.timer = null;
    this.shutdown.abort();
    while (this.round || this.inFlight.size > 0) {
      await this.round;
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /**
   * One polling round; exposed so a node can look at once (e.g. right after enqueueing). A round
   * under way is joined, not doubled; it resolves once its deliveries are claimed and sent off.
   */
  poll(): Promise<void> {
    if (this.shutdown.signal.aborted) return Promise.resolve();
    this.round ??= this.claimRound().finally(() => (this.round = null));
    return this.round;
  }

  /** Every attempt started so far has ended and is recorded. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async claimRound(): Promise<void> {
    const room = MAX_IN_FLIGHT - this.inFlight.size;
    if (room <= 0) return;
    try {
      const leaseMs = this.config.webhooks.timeoutMs + LEASE_MARGIN_MS;
      for (const delivery of await this.repo.claimDue(room, leaseMs)) {
        const p = this.attempt(delivery).finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
      }
    } catch (err) {
      this.logger.error({ err }, 'Could not claim webhook deliveries');
    }
  }

  private async attempt(d: ClaimedDelivery): Promise<void> {
    const outcome = await this.send(d);
    try {
      if (this.shutdown.signal.aborted && outcome.statusCode === null) {
        await this.repo.release(d.id);
      } else if (outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300) {
        this.attempts.inc({ outcome: 'delivered' });
        await this.repo.markDelivered(d.id, outcome);
      } else {
        const { maxAttempts, retryBaseMs, retryMaxMs } = this.config.webhooks;
        const retryAt =
          d.attempts < maxAttempts
            ? new Date(Date.now() + retryDelayMs(d.attempts, retryBaseMs, retryMaxMs))
            : null;
        this.attempts.inc({ outcome: retryAt ? 'retry' : 'failed' });
        await this.repo.markAttemptFailed(d.id, outcome, retryAt);
      }
    } catch (err) {
      // The lease lapses and the delivery is retried; receivers de-duplicate by X-Kilowatt-Delivery.
      this.logger.error({ err, deliveryId: d.id }, 'Could not record a webhook attempt');
    }
  }

  private async send(d: ClaimedDelivery): Promise<AttemptOutcome> {
    const started = Date.now();
    const took = () => Date.now() - started;
    try {
      const url = await assertWebhookTarget(d.url, this.config.webhooks.allowPrivateTargets);
      const body = JSON.stringify(d.payload);
      const timestamp = Math.floor(Date.now() / 1000);
      const status = await post(url, body, {
        // The address is checked again when the socket connects (DNS rebinding).
        lookup: this.config.webhooks.allowPrivateTargets ? undefined : publicOnlyLookup,
        signal: AbortSignal.any([AbortSignal.timeout(this.config.webhooks.timeoutMs), this.shutdown.signal]),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Kilowatt-Webhooks/1.0',
          'X-Kilowatt-Event': d.eventType,
          'X-Kilowatt-Delivery': d.id,
          ...signatureHeaders(d.secret, d.id, timestamp, body),
        },
      });
      const ok = status >= 200 && status < 300;
      return { statusCode: status, error: ok ? null : `HTTP ${status}`, durationMs: took() };
    } catch (err) {
      return { statusCode: null, error: describe(err), durationMs: took() };
    }
  }
}

/**
 * POSTs a body and answers the status. Redirects are not followed (one could point at an
 * internal address: it counts as a failed attempt), and the answer's body is discarded unread.
 */
function post(
  url: URL,
  body: string,
  opts: { lookup?: typeof publicOnlyLookup; signal: AbortSignal; headers: Record<string, string> },
): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: 'POST', headers: opts.headers, lookup: opts.lookup, signal: opts.signal },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function describe(err: unknown): string {
  if (err instanceof DomainError) return err.message;
  if (
    err instanceof Error &&
    (err.name === 'TimeoutError' || (err.name === 'AbortError' && String(err.cause).includes('TimeoutError')))
  )
    return 'Timed out';
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}
