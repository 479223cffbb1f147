// Target 8: Heartbeat throughput of Kilowatt with strict OCPP schema validation on vs off
// (OCPP_STRICT_VALIDATION), side by side in the same run.
import { createDatabase, seedChargers } from './lib/db';
import { alternate, main, medianOf } from './lib/harness';
import { LoadClient } from './lib/load-client';
import { startSeededKilowatt } from './lib/servers';
import { num, parseArgs, report, sleep } from './lib/stats';

main(async () => {
  const args = parseArgs();
  const chargers = num(args, 'chargers', 1000);
  const seconds = num(args, 'seconds', 10);
  const dbs = [await createDatabase(args.engine), await createDatabase(args.engine)];
  const strict = await startSeededKilowatt(dbs[0], (d) => seedChargers(d, chargers));
  const loose = await startSeededKilowatt(dbs[1], (d) => seedChargers(d, chargers), {
    OCPP_STRICT_VALIDATION: 'false',
  });
  strict.name = 'strict';
  loose.name = 'no-validation';
  const client = await LoadClient.start(2);
  try {
    const figs = await alternate(args.runs, [loose, strict], async (s) => {
      const c = await client.connect(s.url, chargers);
      if (c.failed) throw new Error(`${c.failed} chargers failed to boot`);
      await sleep(500);
      const res = await client.closedLoop('Heartbeat', seconds);
      await client.disconnect();
      await sleep(1000);
      return { perSecond: res.perSecond, errors: res.errors };
    });
    const on = medianOf(figs.get(strict)!, (f) => f.perSecond);
    const off = medianOf(figs.get(loose)!, (f) => f.perSecond);
    report(
      'validation',
      args,
      [
        {
          target: '8. validation on ÷ off',
          ratio: on / off,
          goal: '≥ 0.9',
          met: on / off >= 0.9,
          kilowatt: `${on.toFixed(0)} calls/s strict`,
          baseline: `${off.toFixed(0)} calls/s unvalidated`,
        },
      ],
      { chargers, seconds, strict: figs.get(strict), unvalidated: figs.get(loose) },
    );
  } finally {
    client.stop();
    await Promise.all([strict.stop(), loose.stop()]);
    for (const d of dbs) await d.drop();
  }
});
