import { Logger } from '@nestjs/common';
import { DomainError } from '../common/domain-error';

export interface GroupCommitOptions<I> {
  /** For log lines. */
  name: string;
  /** Weight one transaction carries at most; a batch always takes at least one item. */
  maxBatchWeight: number;
  /** Weight waiting beyond which new items are refused with SERVICE_UNAVAILABLE. */
  maxQueuedWeight: number;
  /** An item's weight (default 1), e.g. the rows it writes. */
  weight?(item: I): number;
  /** Whether the item may share a transaction with the batch taken so far (default: always). */
  fits?(batch: readonly I[], item: I): boolean;
}

interface Pending<I, O> {
  item: I;
  resolve(result: O): void;
  reject(err: unknown): void;
}

/**
 * Group commit: callers that arrive while a transaction commits wait together, and the next
 * transaction writes all of them. Each caller is answered only after the commit that holds its
 * item, so "acknowledged" still means "stored", at a fraction of the round trips. The items of a
 * batch that fails are written one by one, so one bad item cannot fail the others. Batches run
 * one at a time, in arrival order.
 */
export class GroupCommit<I, O> {
  private readonly logger: Logger;
  private queue: Pending<I, O>[] = [];
  private queuedWeight = 0;
  private draining: Promise<void> | null = null;

  constructor(
    /** Writes the items in one transaction; answers one result per item, in order. */
    private readonly writeBatch: (items: I[]) => Promise<O[]>,
    private readonly options: GroupCommitOptions<I>,
  ) {
    this.logger = new Logger(`GroupCommit:${options.name}`);
  }

  write(item: I): Promise<O> {
    const weight = this.weightOf(item);
    if (this.queuedWeight + weight > this.options.maxQueuedWeight)
      return Promise.reject(
        new DomainError('SERVICE_UNAVAILABLE', `Too many ${this.options.name} writes queued; retry later`),
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

  /** Items waiting for a transaction (not counting the batch being written). */
  get depth(): number {
    return this.queue.length;
  }

  /** Resolves once everything queued so far, and anything queued meanwhile, is written. */
  async drained(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private weightOf(item: I): number {
    return this.options.weight?.(item) ?? 1;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.takeBatch();
      try {
        const results = await this.writeBatch(batch.map((p) => p.item));
        batch.forEach((p, i) => p.resolve(results[i]));
      } catch (err) {
        if (batch.length === 1) {
          batch[0].reject(err);
          continue;
        }
        this.logger.warn({ err, items: batch.length }, 'Batch failed; writing its items one by one');
        for (const p of batch) {
          try {
            const [result] = await this.writeBatch([p.item]);
            p.resolve(result);
          } catch (e) {
            p.reject(e);
          }
        }
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
