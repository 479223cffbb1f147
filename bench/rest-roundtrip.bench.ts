// Target 6: POST /api/v1/sessions to simulated chargers that accept RemoteStartTransaction at
// once, 200 concurrent callers; the latency Kilowatt adds (request time minus the charger's own).
import { chargePointId, idTagOf } from './lib/db';
import { main, rig } from './lib/harness';
import { ROOT_PASSWORD } from './lib/servers';
import { median, num, parseArgs, percentile, report, sleep } from './lib/stats';

main(async () => {
  const args = parseArgs();
  const callers = num(args, 'callers', 200);
  const rounds = num(args, 'rounds', 10);
  // One root caller from one address: the per-IP and per-user limits would refuse the load itself.
  const r = await rig(args, {
    chargers: callers,
    bare: false,
    env: { RATE_LIMIT_PER_MINUTE: '1000000', USER_RATE_LIMIT_PER_MINUTE: '1000000' },
  });
  try {
    const base = `http://127.0.0.1:${r.kilowatt.port}/api/v1`;
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'root', password: ROOT_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    if (!accessToken) throw new Error(`login failed: ${login.status}`);
    const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const c = await r.client.connect(r.kilowatt.url, callers);
    if (c.failed) throw new Error(`${c.failed} chargers failed to boot: ${c.errors.join('; ')}`);
    await sleep(1000);
    const perRun: { p50: number; p99: number; failed: number }[] = [];
    for (let run = 0; run < args.runs; run++) {
      const latencies: number[] = [];
      let failed = 0;
      for (let round = 0; round < rounds; round++) {
        const ids = await Promise.all(
          Array.from({ length: callers }, async (_, i) => {
            const t0 = performance.now();
            const res = await fetch(`${base}/sessions`, {
              method: 'POST',
              headers: auth,
              body: JSON.stringify({ chargePointId: chargePointId(i), connectorId: 1, idTag: idTagOf(i) }),
            });
            latencies.push(performance.now() - t0);
            const body = (await res.json()) as { id?: string; code?: string };
            if (res.status !== 201) {
              failed++;
              if (failed <= 3)
                process.stdout.write(`  POST /sessions ${res.status} ${JSON.stringify(body)}\n`);
            }
            return body.id;
          }),
        );
        // Cancel the pending sessions so the next round can start on the same connectors (not timed).
        await Promise.all(
          ids
            .filter(Boolean)
            .map((id) => fetch(`${base}/sessions/${id}/stop`, { method: 'POST', headers: auth })),
        );
      }
      perRun.push({ p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed });
      process.stdout.write(`  run ${run + 1}: ${JSON.stringify(perRun[run])}\n`);
    }
    const own = await r.client.disconnect();
    const ownP99 = percentile(own, 99);
    const p99 = median(perRun.map((x) => x.p99));
    const added = p99 - ownP99;
    report(
      'rest-roundtrip',
      args,
      [
        {
          target: `6. POST /sessions, ${callers} callers, added p99`,
          ratio: null,
          goal: '≤ 20 ms',
          met: added <= 20 && perRun.every((x) => x.failed === 0),
          kilowatt: `${added.toFixed(1)} ms added (p50 ${median(perRun.map((x) => x.p50)).toFixed(1)} ms total)`,
          baseline: `charger's own p99 ${ownP99.toFixed(3)} ms`,
        },
      ],
      { callers, rounds, perRun, chargerOwnP99Ms: ownP99 },
    );
  } finally {
    await r.close();
  }
});
