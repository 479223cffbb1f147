interface Waiter<T> {
  predicate: (entry: T) => boolean;
  consume: boolean;
  resolve: (entry: T) => void;
}

// An append-only record that tests can wait on. A waiter first looks at what already happened, so
// a test may ask after the fact; a consuming waiter hands each entry out only once, so the next
// waitFor for the same action gets the next occurrence rather than the same one again. A
// non-consuming waiter sees every entry and takes none.
export class CallLog<T extends object> {
  readonly entries: T[] = [];
  private readonly consumed = new WeakSet<T>();
  private waiters: Waiter<T>[] = [];

  push(entry: T): void {
    this.entries.push(entry);
    for (const waiter of [...this.waiters]) {
      if ((waiter.consume && this.consumed.has(entry)) || !waiter.predicate(entry)) continue;
      if (waiter.consume) this.consumed.add(entry);
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(entry);
    }
  }

  waitFor(predicate: (entry: T) => boolean, timeoutMs: number, describe: string, consume = true): Promise<T> {
    const past = this.entries.find((e) => !(consume && this.consumed.has(e)) && predicate(e));
    if (past) {
      if (consume) this.consumed.add(past);
      return Promise.resolve(past);
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${describe}`));
      }, timeoutMs);
      const waiter: Waiter<T> = {
        predicate,
        consume,
        resolve: (entry) => {
          clearTimeout(timer);
          resolve(entry);
        },
      };
      this.waiters.push(waiter);
    });
  }
}
