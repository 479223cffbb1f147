import { DomainError } from '../common/domain-error';
import { Batcher, BatcherOptions } from './batcher';

/** A stand-in for a transaction: records each batch, fails one holding a poisoned item. */
function aStore(options: Partial<BatcherOptions<number>> = {}) {
  const batches: number[][] = [];
  const committed: number[] = [];
  /** Each commit's items as it begins, before the gate. */
  const entered: number[][] = [];
  let gate: Promise<void> = Promise.resolve();
  const store = {
    batches,
    committed,
    entered,
    poison: Number.NaN,
    hold() {
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      return open;
    },
    commits: new Batcher<number, string>(
      async (items) => {
        entered.push(items);
        await gate;
        batches.push(items);
        if (items.includes(store.poison)) throw new Error('constraint violated');
        committed.push(...items);
        return items.map((n) => `stored ${n}`);
      },
      { name: 'test', maxBatchWeight: 100, maxQueuedWeight: 1_000, ...options },
    ),
  };
  return store;
}
const nextTurn = () => new Promise((r) => setImmediate(r));

describe('Batcher', () => {
  it('writes what arrives together in one transaction and answers each caller its own result', async () => {
    const s = aStore();
    await expect(Promise.all([1, 2, 3].map((n) => s.commits.run(n)))).resolves.toEqual([
      'stored 1',
      'stored 2',
      'stored 3',
    ]);
    expect(s.batches).toEqual([[1, 2, 3]]);
  });

  it('gathers what arrives during a commit into the next transaction', async () => {
    const s = aStore();
    const open = s.hold();
    const first = s.commits.run(1);
    await nextTurn();
    const later = [2, 3, 4].map((n) => s.commits.run(n));
    expect(s.commits.depth).toBe(3);
    open();
    await Promise.all([first, ...later]);
    expect(s.batches).toEqual([[1], [2, 3, 4]]);
    expect(s.commits.depth).toBe(0);
  });

  it('answers no caller before the commit that holds its item', async () => {
    const s = aStore();
    const open = s.hold();
    let answered = false;
    const write = s.commits.run(1).then(() => (answered = true));
    // The commit holding 1 has begun and waits at the gate.
    while (s.entered.length === 0) await nextTurn();
    expect(s.entered).toEqual([[1]]);
    await nextTurn();
    expect(answered).toBe(false);
    open();
    await write;
    expect(s.committed).toEqual([1]);
  });

  it('writes a failed batch one item at a time, so only the bad item is refused', async () => {
    const s = aStore();
    s.poison = 2;
    const results = await Promise.allSettled([1, 2, 3].map((n) => s.commits.run(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(s.batches).toEqual([[1, 2, 3], [1], [2], [3]]);
    expect(s.committed).toEqual([1, 3]);
  });

  it('keeps a batch within its weight, splits where an item does not fit, and always takes one', async () => {
    const s = aStore({ weight: (n) => n, fits: (batch, n) => !batch.includes(n) });
    const open = s.hold();
    const writes = [60, 30, 30, 5, 5, 250].map((n) => s.commits.run(n));
    open();
    await Promise.all(writes);
    // 60+30 ≤ 100; the next 30 would pass 100; then 5 does not fit beside an equal 5; 250 alone.
    expect(s.batches).toEqual([[60, 30], [30, 5], [5], [250]]);
  });

  it('refuses an item beyond the queue bound with SERVICE_UNAVAILABLE and writes the rest', async () => {
    const s = aStore({ weight: (n) => n });
    const open = s.hold();
    const accepted = [s.commits.run(600), s.commits.run(400)];
    const refused = s.commits.run(1);
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    open();
    await Promise.all(accepted);
    // Once written, the room is there again.
    await expect(s.commits.run(1)).resolves.toBe('stored 1');
  });

  it('starts at once when quiet, and lingers to fill the batch while busy', async () => {
    const s = aStore({ lingerMs: 30 });
    const first = s.commits.run(1);
    // The drain starts on the next turn, ahead of this one: a lingering 1 would still take 2 along.
    await nextTurn();
    // 1 went alone: quiet, it did not wait. Busy now, 2 waits 30 ms and 3, 10 ms later, joins it
    // (a real wait: the linger is a real timer).
    const second = s.commits.run(2);
    await new Promise((r) => setTimeout(r, 10));
    await Promise.all([first, second, s.commits.run(3)]);
    expect(s.batches).toEqual([[1], [2, 3]]);
  });

  it('drained() waits for everything queued, including what arrives meanwhile', async () => {
    const s = aStore();
    const open = s.hold();
    void s.commits.run(1);
    const drained = s.commits.drained();
    await nextTurn();
    void s.commits.run(2);
    open();
    await drained;
    expect(s.committed).toEqual([1, 2]);
  });
});
