// Target 3: Heartbeat throughput, 1 000 chargers each sending back to back (closed loop).
import { alternate, main, medianOf, rig } from './lib/harness';
import { num, parseArgs, report, sleep } from './lib/stats';

main(async () => {
  const args = parseArgs();
  const chargers = num(args, 'chargers', 1000);
  const seconds = num(args, 'seconds', 10);
  const r = await rig(args, { chargers });
  try {
    const figs = await alternate(args.runs, [r.bare!, r.kilowatt], async (s) => {
      const c = await r.client.connect(s.url, chargers);
      if (c.failed) throw new Error(`${c.failed} chargers failed to boot: ${c.errors.join('; ')}`);
      await sleep(500);
      const res = await r.client.closedLoop('Heartbeat', seconds);
      await r.client.disconnect();
      await sleep(1000);
      return { perSecond: res.perSecond, errors: res.errors };
    });
    const kw = medianOf(figs.get(r.kilowatt)!, (f) => f.perSecond);
    const bare = medianOf(figs.get(r.bare!)!, (f) => f.perSecond);
    report(
      'heartbeat',
      args,
      [
        {
          target: '3. heartbeat throughput',
          ratio: kw / bare,
          goal: '≥ 0.6',
          met: kw / bare >= 0.6,
          kilowatt: `${kw.toFixed(0)} calls/s`,
          baseline: `${bare.toFixed(0)} calls/s`,
        },
      ],
      { chargers, seconds, kilowatt: figs.get(r.kilowatt), bare: figs.get(r.bare!) },
    );
  } finally {
    await r.close();
  }
});
