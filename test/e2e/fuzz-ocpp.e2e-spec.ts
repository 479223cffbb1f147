import fc from 'fast-check';
import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, anAccount } from '../factories/accounts';
import { TestStation, aStation, eventually } from '../factories/chargers';
import { aSite, aTariff } from '../factories/stations';
import {
  EventLoopWatch,
  LONE_SURROGATE,
  OCPP16_ERROR_CODES,
  RawCharger,
  type RawExchange,
  STALL_BOUND_MS,
  checkRuns,
  chargerInteger,
  chargerTimestamp,
  exchangeProblems,
  fuzzSeed,
  healthProblems,
  nested,
  sessionsAudit,
  shortJson,
} from '../factories/fuzz';

/**
 * A raw OCPP 1.6J charger sends schema-valid CALLs of every charger-to-CSMS action with boundary
 * values (clocks at 1970 and 9999, integers past int4 and 2^53, NUL bytes, the same frame twice,
 * stops before starts, decreasing registers) and malformed frames. Every CALL gets a CALLRESULT or
 * a 1.6 CALLERROR that is not InternalError/GenericError, the socket stays open, /health answers,
 * no frame holds the event loop longer than STALL_BOUND_MS, and no session ends up with negative
 * energy or cost.
 */

const RUNS_PER_ACTION = 25;
const RUNS_OF_SEQUENCES = 30;
const RUNS_OF_MALFORMED = 40;
const REPLY_TIMEOUT_MS = 10_000;
/** A frame this large is past any sensible cap: refused with a CALLERROR or closed with 1009. */
const OVERSIZED_FRAME_BYTES = 10 * 1024 * 1024;

const ACTIONS = [
  'BootNotification',
  'Heartbeat',
  'StatusNotification',
  'Authorize',
  'StartTransaction',
  'MeterValues',
  'StopTransaction',
  'DataTransfer',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
] as const;
type Action = (typeof ACTIONS)[number];

/** A transactionId the charger got back earlier, picked when the frame is sent. */
interface TxRef {
  txRef: number;
}

interface Call {
  messageId: string;
  action: Action;
  payload: Record<string, unknown>;
  twice: boolean;
}

/** A 1.6 CiString: within its length mostly, NUL bytes and lone surrogates, exactly at and past the limit. */
const ciString = (max: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: Math.min(max, 20) }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '\u0000',
        `a\u0000b`,
        LONE_SURROGATE,
        'x'.repeat(max),
        'x'.repeat(max + 1),
        '',
      ),
    },
  );

const connectorId = () =>
  fc.oneof({ weight: 2, arbitrary: fc.constantFrom(1, 2) }, { weight: 1, arbitrary: chargerInteger() });

const transactionId = (): fc.Arbitrary<number | TxRef> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.nat().map((txRef) => ({ txRef })) },
    { weight: 1, arbitrary: chargerInteger() },
  );

/** Register readings as the decimal strings 1.6 sends, including ones no meter should. */
const meterReading = () =>
  fc.oneof(
    chargerInteger().map(String),
    fc.constantFrom('-1', '1e20', 'NaN', '12.5', '9007199254740993', '', '\u0000'),
  );

const STATUSES = [
  'Available',
  'Preparing',
  'Charging',
  'SuspendedEVSE',
  'SuspendedEV',
  'Finishing',
  'Reserved',
  'Unavailable',
  'Faulted',
];
const ERROR_CODES = ['NoError', 'GroundFailure', 'OtherError', 'PowerMeterFailure', 'InternalError'];
const STOP_REASONS = [
  'EmergencyStop',
  'EVDisconnected',
  'HardReset',
  'Local',
  'Other',
  'PowerLoss',
  'Reboot',
  'Remote',
];

const sampledValue = () =>
  fc.record(
    {
      value: meterReading(),
      measurand: fc.constantFrom('Energy.Active.Import.Register', 'Power.Active.Import', 'SoC'),
      unit: fc.constantFrom('Wh', 'kWh', 'W', 'Percent'),
      context: fc.constantFrom('Sample.Periodic', 'Transaction.Begin', 'Transaction.End'),
    },
    { requiredKeys: ['value'] },
  );

const meterValue = () =>
  fc.record({
    timestamp: chargerTimestamp(),
    sampledValue: fc.array(sampledValue(), { minLength: 1, maxLength: 3 }),
  });

function payloadOf(action: Action, idTags: string[]): fc.Arbitrary<Record<string, unknown>> {
  const idTag = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...idTags) },
    { weight: 1, arbitrary: ciString(20) },
  );
  switch (action) {
    case 'BootNotification':
      return fc.record(
        {
          chargePointVendor: ciString(20),
          chargePointModel: ciString(20),
          chargePointSerialNumber: ciString(25),
          firmwareVersion: ciString(50),
          iccid: ciString(20),
          meterType: ciString(25),
        },
        { requiredKeys: ['chargePointVendor', 'chargePointModel'] },
      );
    case 'Heartbeat':
      return fc.constant({});
    case 'StatusNotification':
      return fc.record(
        {
          connectorId: connectorId(),
          errorCode: fc.constantFrom(...ERROR_CODES),
          status: fc.constantFrom(...STATUSES),
          info: ciString(50),
          timestamp: chargerTimestamp(),
          vendorErrorCode: ciString(50),
        },
        { requiredKeys: ['connectorId', 'errorCode', 'status'] },
      );
    case 'Authorize':
      return fc.record({ idTag });
    case 'StartTransaction':
      return fc.record(
        {
          connectorId: connectorId(),
          idTag,
          meterStart: chargerInteger(),
          timestamp: chargerTimestamp(),
          reservationId: chargerInteger(),
        },
        { requiredKeys: ['connectorId', 'idTag', 'meterStart', 'timestamp'] },
      );
    case 'MeterValues':
      return fc.record(
        {
          connectorId: connectorId(),
          transactionId: transactionId(),
          meterValue: fc.array(meterValue(), { minLength: 1, maxLength: 3 }),
        },
        { requiredKeys: ['connectorId', 'meterValue'] },
      );
    case 'StopTransaction':
      return fc.record(
        {
          transactionId: transactionId(),
          meterStop: chargerInteger(),
          timestamp: chargerTimestamp(),
          idTag,
          reason: fc.constantFrom(...STOP_REASONS),
          transactionData: fc.array(meterValue(), { maxLength: 2 }),
        },
        { requiredKeys: ['transactionId', 'meterStop', 'timestamp'] },
      );
    case 'DataTransfer':
      return fc.record(
        {
          vendorId: ciString(255),
          messageId: ciString(50),
          data: fc.oneof(fc.string(), fc.constantFrom('\u0000', LONE_SURROGATE, 'd'.repeat(100_000))),
        },
        { requiredKeys: ['vendorId'] },
      );
    case 'DiagnosticsStatusNotification':
      return fc.record({ status: fc.constantFrom('Idle', 'Uploaded', 'UploadFailed', 'Uploading') });
    case 'FirmwareStatusNotification':
      return fc.record({
        status: fc.constantFrom(
          'Downloaded',
          'DownloadFailed',
          'Downloading',
          'Idle',
          'InstallationFailed',
          'Installing',
          'Installed',
        ),
      });
  }
}

/** Message ids: unique ones of up to 36 characters, and the empty and over-long ids OCPP-J forbids. */
const messageId = () =>
  fc.oneof(
    { weight: 8, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(37), 'y'.repeat(100)) },
  );

const callOf = (action: Action, idTags: string[]): fc.Arbitrary<Call> =>
  fc.record({
    messageId: messageId(),
    action: fc.constant(action),
    payload: payloadOf(action, idTags),
    twice: fc.boolean(),
  });

/**
 * A frame that is not a well-formed 1.6 CALL and the message id its answer carries ("-1" when the
 * frame has none). Every one must be refused with a CALLERROR, except a CALL with an element past
 * the fourth, which may also be answered. Empty frames are left out: ocpp-rpc ignores them on
 * purpose, as keep-alives some chargers send.
 */
const malformedFrame = (): fc.Arbitrary<{ text: string; replyId: string; mustRefuse?: false }> =>
  fc.oneof(
    fc.constantFrom(
      { text: '[2,"m1","Heartbeat",', replyId: '-1' },
      { text: '{"a":1}', replyId: '-1' },
      { text: '"\\u0000"', replyId: '-1' },
      { text: '[2,5,"Heartbeat",{}]', replyId: '-1' },
      { text: '[9,"m2","Heartbeat",{}]', replyId: '-1' },
      { text: '[2,"m3",7,{}]', replyId: 'm3' },
      { text: '[2,"m4","Heartbeat","x"]', replyId: 'm4' },
      { text: '[2,"m5","NoSuchAction",{}]', replyId: 'm5' },
      { text: '[2,"m6","BootNotification",{"chargePointVendor":1,"chargePointModel":[]}]', replyId: 'm6' },
      {
        text: '[2,"m7","StartTransaction",{"connectorId":"1","idTag":null,"meterStart":1.5,"timestamp":1}]',
        replyId: 'm7',
      },
      { text: '[2,"m8","Heartbeat",{},"extra"]', replyId: 'm8', mustRefuse: false as const },
      { text: JSON.stringify(nested(3000)), replyId: '-1' },
      {
        text: JSON.stringify([2, 'm9', 'DataTransfer', { vendorId: 'x', data: nested(3000) }]),
        replyId: 'm9',
      },
      { text: JSON.stringify([2, 'm10', 'Heartbeat', { deep: nested(3000) }]), replyId: 'm10' },
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map((text) => ({ text, replyId: '-1' })),
  );

describe('OCPP fuzz: a raw 1.6 charger sending boundary and malformed frames', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: TestStation;
  let charger: RawCharger;
  let idTags: string[];
  const transactionIds: number[] = [];
  const watch = new EventLoopWatch();
  const seed = fuzzSeed();

  const connect = async () => {
    charger = await RawCharger.connect(`${t.wsUrl}/ocpp/${encodeURIComponent(station.chargePointId)}`);
    const boot = await charger.exchange(
      JSON.stringify([
        2,
        'boot',
        'BootNotification',
        { chargePointVendor: 'Fuzz', chargePointModel: 'Raw 1.6' },
      ]),
      'boot',
      REPLY_TIMEOUT_MS,
    );
    expect(boot.reply?.[0]).toBe(3);
  };

  beforeAll(async () => {
    t = await startApp({ OCPP_FLUSH_INTERVAL_MS: '100' });
    const tenant = await aTenantWithAdmin(t);
    admin = tenant.admin;
    const site = await aSite(t, admin, { timeZone: 'Europe/Berlin' });
    station = await aStation(t, { tenantId: tenant.tenantId, securityProfile: 0 });
    await t.http
      .patch(`/api/v1/stations/${station.id}`)
      .set(admin.auth)
      .send({ siteId: site.id })
      .expect(200);
    // Time-of-use windows make pricing walk the session's local days: the case where a long span costs most.
    await aTariff(t, admin, {
      stationId: station.id,
      timePerHourMinor: 60,
      timeOfUse: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00', energyPerKwhMinor: 20 }],
    });
    const driver = await anAccount(t, { tenantId: tenant.tenantId, role: 'user' });
    idTags = [driver.idTag];
    await connect();
    watch.start();
  }, 180_000);

  afterAll(async () => {
    await watch.stop();
    await charger?.close();
    await t?.close();
  });

  const resolveTx = (payload: Record<string, unknown>) =>
    JSON.stringify(payload, (_k, v: unknown) =>
      v !== null && typeof v === 'object' && 'txRef' in v
        ? (transactionIds[(v as TxRef).txRef % Math.max(transactionIds.length, 1)] ?? (v as TxRef).txRef)
        : v,
    );

  const textOf = (call: Call) =>
    `[2,${JSON.stringify(call.messageId)},"${call.action}",${resolveTx(call.payload)}]`;

  const problemsOf = (x: RawExchange, stallMs: number, { mustRefuse }: { mustRefuse: boolean }) =>
    exchangeProblems(x, stallMs, charger, {
      errorCodes: OCPP16_ERROR_CODES,
      mustRefuse,
      timeoutMs: REPLY_TIMEOUT_MS,
    });

  /** Sends one frame (twice when asked), records the transactionIds handed out; problems, with what was sent. */
  async function send(call: Call): Promise<string[]> {
    const problems: string[] = [];
    const badId = call.messageId.length === 0 || call.messageId.length > 36;
    for (let i = 0; i < (call.twice ? 2 : 1); i++) {
      const text = textOf(call);
      watch.handling(text);
      const x = await charger.exchange(text, call.messageId, REPLY_TIMEOUT_MS);
      const found = problemsOf(x, watch.takeMaxMs(), { mustRefuse: badId });
      const result = x.reply?.[0] === 3 ? (x.reply[2] as { transactionId?: unknown }) : undefined;
      if (call.action === 'StartTransaction' && typeof result?.transactionId === 'number')
        transactionIds.push(result.transactionId);
      if (found.length > 0)
        problems.push(
          `${call.action}${i === 1 ? ' (sent again)' : ''}: ${found.join('; ')}\n    sent: ${shortJson(text, 500)}\n    answer: ${shortJson(x.reply ?? x.closed ?? 'none')}`,
        );
      if (!charger.open) await connect();
    }
    return problems;
  }

  async function check<T>(
    name: string,
    arb: fc.Arbitrary<T>,
    numRuns: number,
    run: (v: T) => Promise<string[]>,
  ) {
    const report = await checkRuns(seed, name, arb, numRuns, async (v) => [
      ...(await run(v)),
      ...(await healthProblems(t.http)),
    ]);
    expect(report).toBe('');
  }

  it.each(ACTIONS)(
    'answers every %s with a CALLRESULT or a 1.6 CALLERROR, socket open, loop free',
    async (action) => {
      await check(action, callOf(action, idTags), RUNS_PER_ACTION, send);
    },
    300_000,
  );

  it('answers sequences of any actions (stop before start, decreasing registers, repeats) the same way', async () => {
    const anyCall = fc.constantFrom(...ACTIONS).chain((action) => callOf(action, idTags));
    await check(
      'sequences',
      fc.array(anyCall, { minLength: 2, maxLength: 6 }),
      RUNS_OF_SEQUENCES,
      async (calls) => {
        const problems: string[] = [];
        for (const call of calls) problems.push(...(await send(call)));
        return problems;
      },
    );
  }, 300_000);

  it('answers malformed frames with a 1.6 CALLERROR and keeps the socket open', async () => {
    await check('malformed', malformedFrame(), RUNS_OF_MALFORMED, async ({ text, replyId, mustRefuse }) => {
      watch.handling(text);
      const x = await charger.exchange(text, replyId, REPLY_TIMEOUT_MS);
      const found = problemsOf(x, watch.takeMaxMs(), { mustRefuse: mustRefuse ?? true });
      if (!charger.open) await connect();
      return found.map(
        (p) => `${p}\n    sent: ${shortJson(text)}\n    answer: ${shortJson(x.reply ?? x.closed ?? 'none')}`,
      );
    });
  }, 300_000);

  it('ignores answers to calls it never made and keeps the socket open', async () => {
    for (const text of ['[3,"never-sent",{}]', '[4,"never-sent","GenericError","",{}]', '[3,"",null]']) {
      const x = await charger.exchange(text, 'none', 0);
      const hb = await charger.exchange('[2,"hb","Heartbeat",{}]', 'hb', REPLY_TIMEOUT_MS);
      expect({ sent: text, after: x.closed, heartbeat: hb.reply?.[0] }).toEqual({
        sent: text,
        after: undefined,
        heartbeat: 3,
      });
    }
  });

  it(`refuses a ${OVERSIZED_FRAME_BYTES / 1024 / 1024} MiB frame with a CALLERROR or a 1009 close`, async () => {
    const data = 'z'.repeat(OVERSIZED_FRAME_BYTES);
    watch.handling(`a DataTransfer of ${OVERSIZED_FRAME_BYTES} bytes`);
    const x = await charger.exchange(
      `[2,"big","DataTransfer",{"vendorId":"x","data":"${data}"}]`,
      'big',
      REPLY_TIMEOUT_MS,
    );
    const stallMs = watch.takeMaxMs();
    const outcome = x.reply
      ? `answered ${x.reply[0] === 4 ? 'CALLERROR' : 'CALLRESULT'}`
      : `closed ${x.closed?.code}`;
    // The server may still hold the closed socket for a moment (409 until it lets go).
    if (!charger.open) await eventually(connect);
    expect(['answered CALLERROR', 'closed 1009']).toContain(outcome);
    expect(stallMs).toBeLessThanOrEqual(STALL_BOUND_MS);
  });

  it('stores no session with negative energy or cost, and lists them without stalling', async () => {
    const audit = await sessionsAudit(t, admin.auth, station.id, watch);
    expect(audit.worstStallMs).toBeLessThanOrEqual(STALL_BOUND_MS);
    expect(audit.statuses.every((status) => status === 200)).toBe(true);
    expect(audit.seen).toBeGreaterThan(0);
    expect(audit.negative).toEqual([]);
  });
});
