import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { Tx } from '../database/database';
import { Batcher } from '../database/batcher';
import { NormalisedSample, latestReadings } from './meter-readings';
import { MeterTarget, SessionReads } from './session-reads.repository';
import { LiveReadingsUpdate, SessionWrites } from './session-writes.repository';
import type { SessionRow } from './sessions.tables';

/** One MeterValues message, normalised, waiting for its commit. */
export interface MeterMessage extends MeterTarget {
  samples: NormalisedSample[];
}

export interface MeterWriteResult {
  /** Rows stored: 0 when no session matched. */
  stored: number;
  /** The session's live view after the write, when this message moved it on. */
  updated: SessionRow | null;
}

/**
 * Group commit for MeterValues: the messages of every charger that arrive while the previous
 * batch commits are written together in one transaction (one lookup of their sessions, one INSERT
 * of their rows, one UPDATE of the sessions' live readings), each answered after that commit.
 */
@Injectable()
export class MeterValuesWriter implements BeforeApplicationShutdown {
  private readonly commits: Batcher<MeterMessage, MeterWriteResult>;

  constructor(reads: SessionReads, writes: SessionWrites, config: AppConfig) {
    const skewMs = config.chargerData.clockSkewMs;
    this.commits = new Batcher(
      (messages) => writes.transaction((tx) => writeBatch(reads, writes, messages, tx, skewMs)),
      {
        name: 'meter values',
        // Rows per transaction, and rows waiting: beyond it the charger is refused and retries.
        maxBatchWeight: 8_000,
        maxQueuedWeight: 200_000,
        weight: (m) => m.samples.length,
      },
    );
  }

  write(message: MeterMessage): Promise<MeterWriteResult> {
    return this.commits.run(message);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.commits.drained();
  }
}

async function writeBatch(
  reads: SessionReads,
  writes: SessionWrites,
  batch: MeterMessage[],
  tx: Tx,
  clockSkewMs: number,
): Promise<MeterWriteResult[]> {
  const sessions = await reads.findMeterTargets(batch, tx);
  const rows = batch.flatMap((m, i) =>
    sessions[i] ? m.samples.map((s) => ({ sessionId: sessions[i]!, ...s })) : [],
  );
  await writes.insertMeterValues(rows, tx);

  // Per session, the readings of its messages applied in time order: the newest time, and the
  // newest value of each reading that some message carried. Every row is stored as sent, but a
  // reading dated after now (plus the clock skew) does not move the live view: the view keeps
  // only newer readings, so one sample from a charger clock at 9999 would freeze it for good.
  const horizon = Date.now() + clockSkewMs;
  const live = new Map<string, LiveReadingsUpdate & { last: number }>();
  batch.forEach((m, i) => {
    const sessionId = sessions[i];
    const latest = latestReadings(m.samples.filter((s) => s.at.getTime() <= horizon));
    if (!sessionId || !latest.at) return;
    const seen = live.get(sessionId);
    if (seen && seen.at > latest.at) return;
    live.set(sessionId, {
      sessionId,
      at: latest.at,
      energyWh: latest.energyWh ?? seen?.energyWh ?? null,
      powerW: latest.powerW ?? seen?.powerW ?? null,
      socPercent: latest.socPercent ?? seen?.socPercent ?? null,
      last: i,
    });
  });
  const updated = new Map(
    (await writes.updateLiveReadings([...live.values()], tx)).map((row) => [row.id, row]),
  );
  const announcedBy = new Map([...live.values()].map((u) => [u.last, u.sessionId]));
  return batch.map((m, i) => {
    const sessionId = sessions[i];
    const announced = announcedBy.get(i);
    return {
      stored: sessionId ? m.samples.length : 0,
      updated: announced ? (updated.get(announced) ?? null) : null,
    };
  });
}
