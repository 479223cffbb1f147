import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import { Cursor, Page, decodeCursor, toPage } from '../../common/pagination';
import { storableText } from '../../common/validation';
import { InjectDb } from '../../database/database.module';
import type { Db } from '../../database/database';
import { NewOcppMessage, OcppMessageRow, ocppMessages } from '../ocpp.tables';

/** Frames kept in memory between writes; beyond it new frames are dropped (and counted). */
const MAX_BUFFERED = 20_000;
/**
 * Frames per INSERT, and the number buffered at which a write starts without waiting for the
 * timer. Small writes spread the log's database work evenly: one flush of several thousand frames
 * every few seconds held the embedded database's only thread, and every charger's MeterValues,
 * for hundreds of milliseconds.
 */
const INSERT_CHUNK = 250;
/**
 * Frames written per second at most. A flood of frames (a thousand chargers sending back to back
 * make 20 000 a second) must not take the database's time from the chargers' own data: beyond
 * this rate the buffer fills, and new frames are dropped and counted.
 */
const MAX_FRAMES_PER_SECOND = 4_000;

/** Paces writes to at most `perSecond` items in each one-second window. */
export class WritePacer {
  private windowStartedAt = Number.NEGATIVE_INFINITY;
  private used = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts `n` items against the current second and answers 0, or, when they do not fit, the
   * milliseconds until the next second (nothing is counted; ask again then). An empty second
   * takes any `n`.
   */
  delayFor(n: number): number {
    const t = this.now();
    if (t - this.windowStartedAt >= 1000) {
      this.windowStartedAt = t;
      this.used = 0;
    }
    if (this.used > 0 && this.used + n > this.perSecond) return this.windowStartedAt + 1000 - t;
    this.used += n;
    return 0;
  }
}
/** A frame larger than this is stored cut, as a string. */
const MAX_FRAME_CHARS = 16_384;
/**
 * JSON text that jsonb refuses: `\u0000`, and the escapes JSON.stringify writes for unpaired
 * surrogates. A frame with one is stored as its JSON text in a string (`{ escaped }`).
 */
const JSONB_UNSAFE = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

/** The frame as jsonb can hold it: itself, or its JSON text cut or escaped into a string. */
function storableFrame(frame: unknown, text: string): unknown {
  if (text.length > MAX_FRAME_CHARS) return { truncated: storableText(text.slice(0, MAX_FRAME_CHARS)) };
  return JSONB_UNSAFE.test(text) ? { escaped: text } : frame;
}

export interface LoggedFrame {
  tenantId: string;
  stationId: string;
  direction: 'in' | 'out';
  frame: unknown;
}

/**
 * The per-station OCPP message log. Diagnostics, not accepted data: frames are buffered in
 * memory and written in batches off the request path, so logging never slows a charger down;
 * if the database falls behind and the buffer is full, new frames are dropped and counted.
 */
@Injectable()
export class MessageLogService {
  private readonly logger = new Logger(MessageLogService.name);
  private buffer: NewOcppMessage[] = [];
  /** The one write loop, while it runs. */
  private writer: Promise<void> | null = null;
  /** Frames taken from the buffer so far (written or failed). */
  private taken = 0;
  /** The loop writes partial chunks until `taken` reaches this; whole chunks it always writes. */
  private drainUpTo = 0;
  private readonly pacer = new WritePacer(MAX_FRAMES_PER_SECOND);
  private unpaced = false;
  dropped = 0;

  constructor(@InjectDb() private readonly db: Db) {}

  record(entry: LoggedFrame): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      this.dropped++;
      return;
    }
    const frame = entry.frame;
    const parsed = Array.isArray(frame) ? frame : null;
    const type = parsed && typeof parsed[0] === 'number' ? parsed[0] : null;
    const text = JSON.stringify(frame) ?? 'null';
    this.buffer.push({
      tenantId: entry.tenantId,
      stationId: entry.stationId,
      direction: entry.direction,
      messageType: type,
      messageId: parsed && typeof parsed[1] === 'string' ? storableText(parsed[1].slice(0, 100)) : null,
      action: type === 2 && typeof parsed?.[2] === 'string' ? storableText(parsed[2].slice(0, 100)) : null,
      frame: storableFrame(frame, text),
      createdAt: new Date(),
    });
    if (this.buffer.length >= INSERT_CHUNK) void this.write();
  }

  /**
   * Writes the frames buffered when called, partial chunk included (the gateway's timer). At
   * shutdown (`final`) the pace no longer applies.
   */
  async flush({ final = false } = {}): Promise<void> {
    if (final) this.unpaced = true;
    const target = this.taken + this.buffer.length;
    this.drainUpTo = Math.max(this.drainUpTo, target);
    // A loop that was ending as this was called may leave the rest: go round until it is taken.
    while (this.taken < target) await this.write();
  }

  private write(): Promise<void> {
    this.writer ??= this.writeChunks().finally(() => {
      this.writer = null;
    });
    return this.writer;
  }

  private async writeChunks(): Promise<void> {
    while (this.buffer.length >= INSERT_CHUNK || this.taken < this.drainUpTo) {
      const size = Math.min(INSERT_CHUNK, this.buffer.length);
      const wait = this.unpaced ? 0 : this.pacer.delayFor(size);
      if (wait > 0) {
        await delay(wait);
        continue;
      }
      const batch = this.buffer.splice(0, size);
      this.taken += batch.length;
      try {
        await this.insert(batch);
      } catch {
        await this.insertOneByOne(batch);
      }
    }
  }

  /**
   * A failed batch is written again frame by frame, so one frame that cannot be stored (its
   * station deleted meanwhile, say) loses only itself, never the other stations' frames.
   */
  private async insertOneByOne(batch: NewOcppMessage[]): Promise<void> {
    let failed = 0;
    let lastError: unknown;
    for (const frame of batch) {
      try {
        await this.insert([frame]);
      } catch (err) {
        failed++;
        lastError = err;
      }
    }
    if (failed === 0) return;
    this.dropped += failed;
    this.logger.warn({ err: lastError, frames: failed }, 'OCPP message log frames not written');
  }

  /** One parameter for the whole batch (see SessionWrites.insertMeterValues). */
  private async insert(batch: NewOcppMessage[]): Promise<void> {
    const json = JSON.stringify(
      batch.map((m) => ({
        tenant_id: m.tenantId,
        station_id: m.stationId,
        direction: m.direction,
        message_type: m.messageType,
        message_id: m.messageId,
        action: m.action,
        frame: m.frame,
        created_at: m.createdAt,
      })),
    );
    await this.db.execute(sql`
      insert into ${ocppMessages}
        (tenant_id, station_id, direction, message_type, message_id, action, frame, created_at)
      select tenant_id, station_id, direction, message_type, message_id, action, frame, created_at
      from json_to_recordset(${json}::json) as m(tenant_id uuid, station_id uuid, direction text,
        message_type integer, message_id text, action text, frame jsonb, created_at timestamptz)`);
  }

  async purgeOlderThan(days: number): Promise<void> {
    await this.db
      .delete(ocppMessages)
      .where(lt(ocppMessages.createdAt, sql`now() - make_interval(days => ${days})`));
  }

  /** Newest first; the caller has checked the station is visible to the actor. */
  async listByStation(
    stationId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<OcppMessageRow>> {
    const after = decodeCursor(page.cursor, 'timestamp', 'serial');
    const rows = await this.db
      .select()
      .from(ocppMessages)
      .where(
        and(
          eq(ocppMessages.stationId, stationId),
          after
            ? or(
                lt(ocppMessages.createdAt, new Date(after.k)),
                and(eq(ocppMessages.createdAt, new Date(after.k)), lt(ocppMessages.id, Number(after.id))),
              )
            : undefined,
        ),
      )
      .orderBy(desc(ocppMessages.createdAt), desc(ocppMessages.id))
      .limit(page.limit + 1);
    return toPage(
      rows,
      page.limit,
      (r) => r,
      (r): Cursor => ({ k: r.createdAt.toISOString(), id: String(r.id) }),
    );
  }
}
