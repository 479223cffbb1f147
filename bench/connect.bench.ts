// Target 2: connect + BootNotification answered (and, in Kilowatt, stored), as a rate; and
// 10 000 chargers booted in ≤ 30 s with no failures.
import { alternate, main, medianOf, rig } from './lib/harness';
import { num, parseArgs, report, sleep } from './lib/stats';

main(async () => {
  const args = parseArgs();
  const chargers = num(args, 'chargers', 10_000);
  const concurrency = num(args, 'concurrency', 1000);
  const r = await rig(args, { chargers });
  try {
    const servers = [r.bare!, r.kilowatt];
    const figs = await alternate(args.runs, servers, async (s) => {
      const res = await r.client.connect(s.url, chargers, { concurrency });
      await r.client.disconnect();
      await sleep(2000); // let Kilowatt write the offline marks before the next run
      return {
        perSecond: (res.ok / res.ms) * 1000,
        seconds: res.ms / 1000,
        failed: res.failed,
        errors: res.errors,
      };
    });
    const kw = figs.get(r.kilowatt)!;
    const bare = figs.get(r.bare!)!;
    const kwRate = medianOf(kw, (f) => f.perSecond);
    const bareRate = medianOf(bare, (f) => f.perSecond);
    const kwSeconds = medianOf(kw, (f) => f.seconds);
    const failures = kw.reduce((s, f) => s + f.failed, 0);
    report(
      'connect',
      args,
      [
        {
          target: '2. connect + boot rate',
          ratio: kwRate / bareRate,
          goal: '≥ 0.5',
          met: kwRate / bareRate >= 0.5,
          kilowatt: `${kwRate.toFixed(0)}/s`,
          baseline: `${bareRate.toFixed(0)}/s`,
        },
        {
          target: `2. ${chargers} chargers booted`,
          ratio: null,
          goal: '≤ 30 s, 0 failures',
          met: kwSeconds <= 30 && failures === 0,
          kilowatt: `${kwSeconds.toFixed(1)} s, ${failures} failed`,
          baseline: `${medianOf(bare, (f) => f.seconds).toFixed(1)} s`,
        },
      ],
      { chargers, concurrency, kilowatt: kw, bare },
    );
  } finally {
    await r.close();
  }
});
