// Target 1: resident memory per connected, booted charger after GC, Kilowatt vs the bare server:
// (RSS with N chargers − RSS idle) ÷ N, each server freshly started.
import { main, rig } from './lib/harness';
import type { Server } from './lib/servers';
import { num, parseArgs, report, sleep } from './lib/stats';

main(async () => {
  const args = parseArgs();
  const chargers = num(args, 'chargers', 10_000);
  const r = await rig(args, { chargers });
  try {
    await sleep(2000);
    const measure = async (s: Server) => {
      const idle = await s.memory();
      const c = await r.client.connect(s.url, chargers, { concurrency: 500 });
      if (c.failed) throw new Error(`${c.failed} chargers failed to boot: ${c.errors.join('; ')}`);
      await sleep(3000);
      const loaded = await s.memory();
      await r.client.disconnect();
      const fig = {
        idleRssMiB: idle.rss / 2 ** 20,
        loadedRssMiB: loaded.rss / 2 ** 20,
        rssKiBPerCharger: (loaded.rss - idle.rss) / 1024 / chargers,
        heapKiBPerCharger: (loaded.heapUsed - idle.heapUsed) / 1024 / chargers,
      };
      process.stdout.write(`  ${s.name}: ${JSON.stringify(fig)}\n`);
      return fig;
    };
    const bare = await measure(r.bare!);
    const kw = await measure(r.kilowatt);
    const ratio = kw.rssKiBPerCharger / bare.rssKiBPerCharger;
    report(
      'memory',
      { ...args, runs: 1 },
      [
        {
          target: `1. RSS per booted charger (${chargers})`,
          ratio,
          goal: '≤ 1.5',
          met: ratio <= 1.5,
          kilowatt: `${kw.rssKiBPerCharger.toFixed(1)} KiB (heap ${kw.heapKiBPerCharger.toFixed(1)})`,
          baseline: `${bare.rssKiBPerCharger.toFixed(1)} KiB (heap ${bare.heapKiBPerCharger.toFixed(1)})`,
        },
      ],
      { chargers, kilowatt: kw, bare },
    );
  } finally {
    await r.close();
  }
});
