import { Logger } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export interface BatcherOptions<I> {
  /** For log lines. */
  name: string;
  /** Weight one batch carries at most; a batch always takes at least one item. */
  maxBatchWeight: number;
  /** Weight waiting beyond which new items are refused with SERVICE_UNAVAILABLE. */
  maxQueuedWeight: number;
  /** An item's weight (default 1), e.g. the rows it writes. */
  weight?(item: I): number;
  /** Whether the item may join the batch taken so far (default: always). */
  fits?(batch: readonly I[], item: I): boolean;
  /**
   * While busy (a batch ended within the last BUSY_WINDOW_MS), how long a batch waits for more
   * items before it starts; when quiet, a batch starts at once. Default 0. On the embedded
   * database every statement holds the server's one thread, so without it a burst of connections
   * runs as one-item batches.
   */
  lingerMs?: number;
}

const BUSY_WINDOW_MS = 100;

/**
 * The linger for the batches of a burst of charger (re)connections (admission, boot, presence,
 * live-session check): a few milliseconds on a handshake, for a fraction of the statements.
 */
export const BURST_LINGER_MS = 5;

interface Pending<I, O> {
  item: I;
  resolve(result: O): void;
  reject(err: unknown): void;
}

/**
 * Callers that arrive while a batch runs wait together, and the next batch serves all of them:
 * one statement (or one transaction) per burst instead of one per caller. For writes this is
 * group commit: each caller is answered only after the commit that holds its item, so
 * "acknowledged" still means "stored", at a fraction of the round trips. For reads (the
 * chargers of a connection burst looked up at once) it is one query per burst. The items of a
 * batch that fails are run one by one, so one bad item cannot fail the others. Batches run one at
 * a time, in arrival order.
 */
export class Batcher<I, O> {
  private readonly logger: Logger;
  private queue: Pending<I, O>[] = [];
  private queuedWeight = 0;
  private draining: Promise<void> | null = null;
  private lastBatchEndedAt = Number.NEGATIVE_INFINITY;

  constructor(
    /** Runs the items as one batch (one statement or transaction); one result per item, in order. */
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly options: BatcherOptions<I>,
  ) {
    this.logger = new Logger(`Batcher:${options.name}`);
  }

  run(item: I): Promise<O> {
    const weight = this.weightOf(item);
    if (this.queuedWeight + weight > this.options.maxQueuedWeight)
      return Promise.reject(
        new DomainError('SERVICE_UNAVAILABLE', `Too many ${this.options.name} requests queued; retry later`),
      );
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.queuedWeight += weight;
      this.startDraining();
    });
  }

  private startDraining(): void {
    // Started on the next turn, so what arrived in the same I/O turn shares the first batch.
    this.draining ??= new Promise<void>((r) => setImmediate(r))
      .then(() => this.drain())
      .finally(() => {
        this.draining = null;
        // An item queued after the loop's last look, but before this line, is not left behind.
        if (this.queue.length > 0) this.startDraining();
      });
  }

  /** Items waiting for a batch (not counting the batch running). */
  get depth(): number {
    return this.queue.length;
  }

  /** Resolves once everything queued so far, and anything queued meanwhile, has run. */
  async drained(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private weightOf(item: I): number {
    return this.options.weight?.(item) ?? 1;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const linger = this.options.lingerMs ?? 0;
      if (linger > 0 && performance.now() - this.lastBatchEndedAt < BUSY_WINDOW_MS)
        await new Promise((r) => setTimeout(r, linger));
      const batch = this.takeBatch();
      try {
        await this.runOne(batch);
      } finally {
        this.lastBatchEndedAt = performance.now();
      }
    }
  }

  private async runOne(batch: Pending<I, O>[]): Promise<void> {
    try {
      const results = await this.runBatch(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]));
      return;
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      this.logger.warn({ err, items: batch.length }, 'Batch failed; running its items one by one');
    }
    for (const p of batch) {
      try {
        const [result] = await this.runBatch([p.item]);
        p.resolve(result);
      } catch (e) {
        p.reject(e);
      }
    }
  }

  private takeBatch(): Pending<I, O>[] {
    const { maxBatchWeight, fits } = this.options;
    const items: I[] = [];
    let weight = 0;
    for (const p of this.queue) {
      const w = this.weightOf(p.item);
      if (items.length > 0 && (weight + w > maxBatchWeight || (fits && !fits(items, p.item)))) break;
      items.push(p.item);
      weight += w;
    }
    this.queuedWeight -= weight;
    return this.queue.splice(0, items.length);
  }
}
