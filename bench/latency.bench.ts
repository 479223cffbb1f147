// Target 4: latency at a fixed 5 000 calls/s, Heartbeat and MeterValues (10 sampled values,
// stored in Kilowatt) mixed half and half; open loop, measured from each call's scheduled time.
import { alternate, main, medianOf, rig } from './lib/harness';
import { num, parseArgs, percentile, report, sleep } from './lib/stats';

main(async () => {
  const args = parseArgs();
  const chargers = num(args, 'chargers', 1000);
  const rate = num(args, 'rate', 5000);
  const seconds = num(args, 'seconds', 10);
  const meterShare = num(args, 'meter-share', 0.5);
  const r = await rig(args, { chargers });
  try {
    const figs = await alternate(args.runs, [r.bare!, r.kilowatt], async (s) => {
      const c = await r.client.connect(s.url, chargers);
      if (c.failed) throw new Error(`${c.failed} chargers failed to boot: ${c.errors.join('; ')}`);
      const txFailed = await r.client.startTransactions();
      await sleep(500);
      const res = await r.client.openLoop(rate, seconds, meterShare);
      await r.client.disconnect();
      await sleep(1000);
      return {
        p50: percentile(res.latencies, 50),
        p99: percentile(res.latencies, 99),
        max: percentile(res.latencies, 100),
        calls: res.latencies.length,
        errors: res.errors + txFailed,
      };
    });
    const kw = figs.get(r.kilowatt)!;
    const bare = figs.get(r.bare!)!;
    const kwP99 = medianOf(kw, (f) => f.p99);
    const bareP99 = medianOf(bare, (f) => f.p99);
    const ms = (f: typeof kw) =>
      `p50 ${medianOf(f, (x) => x.p50).toFixed(2)} ms, p99 ${medianOf(f, (x) => x.p99).toFixed(2)} ms`;
    report(
      'latency',
      args,
      [
        {
          target: `4. p99 at ${rate} calls/s`,
          ratio: kwP99 / bareP99,
          goal: '≤ 2 and ≤ 10 ms',
          met: kwP99 / bareP99 <= 2 && kwP99 <= 10,
          kilowatt: ms(kw),
          baseline: ms(bare),
        },
      ],
      { chargers, rate, seconds, meterShare, kilowatt: kw, bare },
    );
  } finally {
    await r.close();
  }
});
