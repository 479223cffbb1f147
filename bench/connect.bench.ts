// Target 2: connect + BootNotification answered (and, in Kilowatt, stored), as a rate; and
// 10 000 chargers booted in ≤ 30 s with no failures. `--security-profile 1`: every charger has a
// password (40 hex digits, as a CSMS-issued AuthorizationKey) and sends it in the handshake
// (HTTP Basic Auth); the bare baseline checks none.
import { randomBytes } from 'node:crypto';
import { alternate, main, medianOf, rig } from './lib/harness';
import { num, parseArgs, report, sleep } from './lib/stats';

main(async () => {
  const args = parseArgs();
  const chargers = num(args, 'chargers', 10_000);
  const concurrency = num(args, 'concurrency', 1000);
  const profile = num(args, 'security-profile', 0);
  if (profile !== 0 && profile !== 1) throw new Error(`--security-profile 0|1, not ${profile}`);
  const basicAuth = profile === 1;
  const r = await rig(args, {
    chargers,
    basicAuth: basicAuth ? { pepper: randomBytes(32).toString('base64url') } : undefined,
  });
  try {
    const servers = [r.bare!, r.kilowatt];
    const figs = await alternate(args.runs, servers, async (s) => {
      const res = await r.client.connect(s.url, chargers, { concurrency, basicAuth });
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
    const label = `profile ${profile}`;
    report(
      basicAuth ? 'connect-profile1' : 'connect',
      args,
      [
        {
          target: `2. connect + boot rate, ${label}`,
          ratio: kwRate / bareRate,
          goal: '≥ 0.5',
          met: kwRate / bareRate >= 0.5,
          kilowatt: `${kwRate.toFixed(0)}/s`,
          baseline: `${bareRate.toFixed(0)}/s`,
        },
        {
          target: `2. ${chargers} chargers booted, ${label}`,
          ratio: null,
          goal: '≤ 30 s, 0 failures',
          met: kwSeconds <= 30 && failures === 0,
          kilowatt: `${kwSeconds.toFixed(1)} s, ${failures} failed`,
          baseline: `${medianOf(bare, (f) => f.seconds).toFixed(1)} s`,
        },
      ],
      { chargers, concurrency, securityProfile: profile, kilowatt: kw, bare },
    );
  } finally {
    await r.close();
  }
});
