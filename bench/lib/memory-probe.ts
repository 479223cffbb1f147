/**
 * Answers `{ type: 'memory' }` IPC messages from the benchmark with the process's memory after a
 * full GC (the server must run with --expose-gc).
 */
export function installMemoryProbe(): void {
  process.on('message', (m: { type?: string }) => {
    if (m?.type !== 'memory') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    setTimeout(() => {
      gc?.();
      const { rss, heapUsed, external } = process.memoryUsage();
      process.send?.({ type: 'memory', rss, heapUsed, external, gc: Boolean(gc) });
    }, 300);
  });
}
