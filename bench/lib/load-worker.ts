// A load-generator process: holds a share of the simulated chargers as raw WebSockets with
// hand-built OCPP-J frames (so the client's own cost stays small), driven over IPC by
// load-client.ts. Connects from its own 127.0.0.x source addresses, in turn.
import WebSocket from 'ws';

type Protocol = 'ocpp1.6' | 'ocpp2.0.1';

interface Charger {
  id: string;
  idTag: string;
  ws: WebSocket;
  /** 1.6: the central system's integer; 2.0.1: the charger's own string. */
  txId?: number | string;
  /** 2.0.1 TransactionEvent sequence number. */
  seqNo: number;
  meterWh: number;
}
type Pending = (result: unknown, isError: boolean) => void;

const chargers: Charger[] = [];
/** Set by the connect command: every charger of this process speaks it. */
let protocol: Protocol = 'ocpp1.6';
const pending = new Map<string, Pending>();
let seq = 0;
let chargerOwnNs: number[] = [];

function send(c: Charger, action: string, payload: unknown): Promise<unknown> {
  const id = (++seq).toString(36);
  return new Promise((resolve, reject) => {
    pending.set(id, (r, isError) => (isError ? reject(new Error(JSON.stringify(r))) : resolve(r)));
    c.ws.send(`[2,"${id}","${action}",${JSON.stringify(payload)}]`);
  });
}

function onFrame(c: Charger, data: WebSocket.RawData): void {
  const t0 = process.hrtime.bigint();
  const msg = JSON.parse(data.toString()) as unknown[];
  if (msg[0] === 3 || msg[0] === 4) {
    const p = pending.get(msg[1] as string);
    pending.delete(msg[1] as string);
    p?.(msg[0] === 3 ? msg[2] : msg.slice(2), msg[0] === 4);
    return;
  }
  // A call from the central system: the simulated charger accepts at once.
  const action = msg[2] as string;
  const reply = /^(Remote|Request)(Start|Stop)Transaction$/.test(action) ? { status: 'Accepted' } : {};
  c.ws.send(`[3,"${msg[1] as string}",${JSON.stringify(reply)}]`);
  chargerOwnNs.push(Number(process.hrtime.bigint() - t0));
}

function open(
  url: string,
  id: string,
  idTag: string,
  localAddress: string,
  password: string | undefined,
): Promise<Charger> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> =
      password === undefined
        ? {}
        : { Authorization: `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}` };
    const ws = new WebSocket(`${url}/ocpp/${id}`, [protocol], {
      localAddress,
      perMessageDeflate: false,
      headers,
    });
    const c: Charger = { id, idTag, ws, seqNo: 0, meterWh: 0 };
    ws.once('open', () => resolve(c));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('message', (d) => onFrame(c, d));
  });
}

const BOOT: Record<Protocol, object> = {
  'ocpp1.6': { chargePointVendor: 'Bench', chargePointModel: 'LoadGen' },
  'ocpp2.0.1': { reason: 'PowerUp', chargingStation: { vendorName: 'Bench', model: 'LoadGen' } },
};

/** The metering message: 1.6 MeterValues, or 2.0.1 TransactionEvent Updated, with `values` sampled values. */
function meterCall(c: Charger, values: number): [string, unknown] {
  if (protocol === 'ocpp1.6') return ['MeterValues', meterPayload(c, values)];
  const { meterValue } = meterPayload(c, values) as {
    meterValue: { timestamp: string; sampledValue: Record<string, string>[] }[];
  };
  return [
    'TransactionEvent',
    {
      eventType: 'Updated',
      timestamp: meterValue[0].timestamp,
      triggerReason: 'MeterValuePeriodic',
      seqNo: c.seqNo++,
      transactionInfo: { transactionId: c.txId, chargingState: 'Charging' },
      meterValue: meterValue.map((mv) => ({
        timestamp: mv.timestamp,
        // 2.0.1 has no Temperature measurand: the same number of values, Frequency in its place.
        sampledValue: mv.sampledValue.map(({ value, unit, measurand, ...rest }) => ({
          ...rest,
          measurand: measurand === 'Temperature' ? 'Frequency' : measurand,
          value: Number(value),
          ...(unit && { unitOfMeasure: { unit } }),
        })),
      })),
    },
  ];
}

async function pool<T>(items: T[], concurrency: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

function meterPayload(c: Charger, values: number): unknown {
  c.meterWh += 10;
  const names = ['Power.Active.Import', 'Current.Import', 'Voltage', 'SoC', 'Temperature', 'Power.Offered'];
  const sampledValue: Record<string, string>[] = [
    { value: String(c.meterWh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
  ];
  for (let k = 1; k < values; k++)
    sampledValue.push({
      value: String(100 + k),
      measurand: names[k % names.length],
      phase: `L${(k % 3) + 1}`,
    });
  // Temperature and SoC take no phase in the schema's sense but accept one; units default per measurand.
  return {
    connectorId: 1,
    transactionId: c.txId,
    meterValue: [{ timestamp: new Date().toISOString(), sampledValue }],
  };
}

type Cmd =
  | {
      cmd: 'connect';
      url: string;
      protocol: Protocol;
      ids: string[];
      idTags: string[];
      passwords?: string[];
      localAddresses: string[];
      concurrency: number;
    }
  | { cmd: 'startTx' }
  | { cmd: 'closedLoop'; action: 'Heartbeat' | 'MeterValues'; seconds: number; values?: number }
  | { cmd: 'openLoop'; rate: number; seconds: number; meterShare: number; values: number }
  | { cmd: 'close' };

async function run(m: Cmd): Promise<unknown> {
  switch (m.cmd) {
    case 'connect': {
      protocol = m.protocol;
      let failed = 0;
      const errors: string[] = [];
      const t0 = performance.now();
      await pool(
        m.ids.map((id, i) => ({
          id,
          idTag: m.idTags[i],
          password: m.passwords?.[i],
          from: m.localAddresses[i % m.localAddresses.length],
        })),
        m.concurrency,
        async ({ id, idTag, password, from }) => {
          try {
            const c = await open(m.url, id, idTag, from, password);
            const conf = (await send(c, 'BootNotification', BOOT[protocol])) as { status?: string };
            if (conf.status !== 'Accepted') throw new Error(`boot ${conf.status}`);
            chargers.push(c);
          } catch (e) {
            failed++;
            if (errors.length < 5) errors.push((e as Error).message);
          }
        },
      );
      return { ok: m.ids.length - failed, failed, errors, ms: performance.now() - t0 };
    }
    case 'startTx': {
      let failed = 0;
      await pool(chargers, 200, async (c) => {
        if (protocol === 'ocpp2.0.1') {
          c.txId = `${c.id}-${Date.now().toString(36)}`;
          c.seqNo = 0;
          const timestamp = new Date().toISOString();
          const conf = (await send(c, 'TransactionEvent', {
            eventType: 'Started',
            timestamp,
            triggerReason: 'Authorized',
            seqNo: c.seqNo++,
            transactionInfo: { transactionId: c.txId, chargingState: 'Charging' },
            idToken: { idToken: c.idTag, type: 'ISO14443' },
            evse: { id: 1, connectorId: 1 },
            meterValue: [
              {
                timestamp,
                sampledValue: [
                  { value: 0, context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register' },
                ],
              },
            ],
          })) as { idTokenInfo?: { status: string } };
          if (conf.idTokenInfo?.status !== 'Accepted') failed++;
          return;
        }
        const conf = (await send(c, 'StartTransaction', {
          connectorId: 1,
          idTag: c.idTag,
          meterStart: 0,
          timestamp: new Date().toISOString(),
        })) as { transactionId: number; idTagInfo: { status: string } };
        if (conf.idTagInfo.status !== 'Accepted') failed++;
        c.txId = conf.transactionId;
      });
      return { failed };
    }
    case 'closedLoop': {
      let calls = 0;
      let errors = 0;
      const end = performance.now() + m.seconds * 1000;
      const t0 = performance.now();
      let lastAck = t0;
      await Promise.all(
        chargers.map(async (c) => {
          while (performance.now() < end) {
            try {
              const [action, payload] =
                m.action === 'Heartbeat' ? ['Heartbeat', {}] : meterCall(c, m.values ?? 10);
              await send(c, action, payload);
              calls++;
            } catch {
              errors++;
            }
            lastAck = performance.now();
          }
        }),
      );
      return { calls, errors, ms: end - t0, drainMs: Math.max(0, lastAck - end) };
    }
    case 'openLoop': {
      const latencies: number[] = [];
      let errors = 0;
      let sent = 0;
      const total = Math.round(m.rate * m.seconds);
      const t0 = performance.now();
      const inFlight: Promise<void>[] = [];
      await new Promise<void>((resolve) => {
        const tick = () => {
          const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * m.rate));
          while (sent < due) {
            const c = chargers[sent % chargers.length];
            const scheduled = t0 + (sent / m.rate) * 1000;
            const meter = (sent * 7919) % 100 < m.meterShare * 100 && c.txId !== undefined;
            sent++;
            const [action, payload] = meter ? meterCall(c, m.values) : ['Heartbeat', {}];
            inFlight.push(
              send(c, action, payload).then(
                () => void latencies.push(performance.now() - scheduled),
                () => void errors++,
              ),
            );
          }
          if (sent >= total) resolve();
          else setTimeout(tick, 1);
        };
        tick();
      });
      await Promise.all(inFlight);
      return { latencies, errors, sent };
    }
    case 'close': {
      const own = chargerOwnNs;
      chargerOwnNs = [];
      await Promise.all(
        chargers.splice(0).map(
          (c) =>
            new Promise<void>((r) => {
              c.ws.once('close', () => r());
              c.ws.close();
              setTimeout(r, 2000);
            }),
        ),
      );
      return { chargerOwnNs: own };
    }
  }
}

process.on('message', (m: Cmd & { reqId: number }) => {
  run(m).then(
    (result) => process.send!({ reqId: m.reqId, result }),
    (err: unknown) => process.send!({ reqId: m.reqId, error: String(err) }),
  );
});
process.send!({ ready: true });
