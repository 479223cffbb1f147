import type { Tx } from '../database/database';
import type { NormalisedSample } from './meter-readings';
import { MeterMessage, MeterValuesWriter } from './meter-values-writer';
import type { LiveReadingsUpdate, MeterTarget, SessionsRepository } from './sessions.repository';
import type { NewMeterValueRow, SessionRow } from './sessions.tables';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const energy = (wh: number, second = 0): NormalisedSample => ({
  at: new Date(T0 + second * 1000),
  measurand: 'Energy.Active.Import.Register',
  phase: null,
  location: null,
  context: 'Sample.Periodic',
  unit: 'Wh',
  value: wh,
});
const message = (transactionId: number, samples: NormalisedSample[]): MeterMessage => ({
  stationId: 'station',
  connectorId: 1,
  transactionId,
  samples,
});

/**
 * How the writer turns a batch of messages into rows and live readings, against an in-memory
 * stand-in for its three repository calls (the queueing is Batcher's, tested in its spec;
 * the SQL runs against PGlite and PostgreSQL in test/e2e/meter-values.e2e-spec.ts).
 */
class FakeRepository {
  transactions: { rows: NewMeterValueRow[]; updates: LiveReadingsUpdate[]; committed: boolean }[] = [];
  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const t = { rows: [] as NewMeterValueRow[], updates: [] as LiveReadingsUpdate[], committed: false };
    this.transactions.push(t);
    const result = await work(t as unknown as Tx);
    t.committed = true;
    return result;
  }
  async findMeterTargets(targets: MeterTarget[]): Promise<(string | null)[]> {
    return targets.map((t) => (t.transactionId && t.transactionId > 0 ? `session-${t.transactionId}` : null));
  }
  async insertMeterValues(rows: NewMeterValueRow[], tx: { rows: NewMeterValueRow[] }): Promise<void> {
    tx.rows.push(...rows);
  }
  async updateLiveReadings(updates: LiveReadingsUpdate[], tx: { updates: LiveReadingsUpdate[] }) {
    tx.updates.push(...updates);
    return updates.map((u) => ({ id: u.sessionId, lastEnergyWh: u.energyWh }) as SessionRow);
  }
}

function setUp() {
  const repo = new FakeRepository();
  return { repo, writer: new MeterValuesWriter(repo as unknown as SessionsRepository) };
}

describe('MeterValuesWriter', () => {
  it('writes the messages that arrive together in one transaction, and answers each', async () => {
    const { repo, writer } = setUp();
    const results = await Promise.all([
      writer.write(message(1, [energy(100), energy(101)])),
      writer.write(message(2, [energy(200)])),
      writer.write(message(0, [energy(300)])),
    ]);
    expect(repo.transactions).toHaveLength(1);
    expect(repo.transactions[0].rows.map((r) => [r.sessionId, r.value])).toEqual([
      ['session-1', 100],
      ['session-1', 101],
      ['session-2', 200],
    ]);
    expect(results.map((r) => [r.stored, r.updated?.id ?? null])).toEqual([
      [2, 'session-1'],
      [1, 'session-2'],
      [0, null],
    ]);
  });

  it("applies one session's messages of a batch in time order and announces it once", async () => {
    const { repo, writer } = setUp();
    const results = await Promise.all([
      writer.write(message(1, [energy(500, 20)])),
      writer.write(message(1, [energy(400, 10)])),
      writer.write(message(1, [{ ...energy(55, 30), measurand: 'SoC', unit: '%' }])),
    ]);
    expect(repo.transactions[0].updates).toEqual([
      {
        sessionId: 'session-1',
        at: new Date(T0 + 30_000),
        energyWh: 500,
        powerW: null,
        socPercent: 55,
        last: 2,
      },
    ]);
    expect(results.map((r) => r.updated !== null)).toEqual([false, false, true]);
  });
});
