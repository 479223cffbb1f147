import fc from 'fast-check';
import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, anAccount } from '../factories/accounts';
import { TestStation, aStation } from '../factories/chargers';
import { aTariff } from '../factories/stations';
import {
  EventLoopWatch,
  LONE_SURROGATE,
  OCPP201_ERROR_CODES,
  RawCharger,
  STALL_BOUND_MS,
  checkRuns,
  chargerInteger,
  chargerTimestamp,
  exchangeProblems,
  fuzzSeed,
  healthProblems,
  sessionsAudit,
  shortJson,
} from '../factories/fuzz';

/**
 * A raw OCPP 2.0.1 charger sends schema-valid CALLs of the charger-to-CSMS actions with boundary
 * values (clocks at 1970 and 9999, integers past int4, unit multipliers of 10^±300, NUL bytes, the
 * same frame twice, transactions ended before they started, resent seqNo, decreasing registers).
 * Every CALL gets a CALLRESULT or a 2.0.1 CALLERROR that is not InternalError/GenericError, the
 * socket stays open, /health answers, no frame holds the event loop longer than STALL_BOUND_MS,
 * and no session ends up with negative energy or cost.
 */

const RUNS_PER_ACTION = 25;
const RUNS_OF_SEQUENCES = 30;
const REPLY_TIMEOUT_MS = 10_000;

const ACTIONS = [
  'BootNotification',
  'Heartbeat',
  'StatusNotification',
  'Authorize',
  'TransactionEvent',
  'MeterValues',
  'NotifyEvent',
  'NotifyReport',
  'SecurityEventNotification',
  'DataTransfer',
  'FirmwareStatusNotification',
  'LogStatusNotification',
  'NotifyDisplayMessages',
  'NotifyMonitoringReport',
  'ReportChargingProfiles',
  'NotifyChargingLimit',
  'ReservationStatusUpdate',
] as const;
type Action = (typeof ACTIONS)[number];

interface Call {
  messageId: string;
  action: Action;
  payload: Record<string, unknown>;
  twice: boolean;
}

/** A 2.0.1 string of at most `max` characters: mostly short, with NUL bytes, lone surrogates and the limit itself. */
const ciString = (max: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: Math.min(max, 20) }) },
    { weight: 2, arbitrary: fc.constantFrom('\u0000', 'a\u0000b', LONE_SURROGATE, 'x'.repeat(max), '') },
  );

/** A few transaction ids, so Started, Updated and Ended meet; and the odd ones a charger could send. */
const transactionId = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('tx-1', 'tx-2', 'tx-3', 'TX-1') },
    { weight: 1, arbitrary: fc.constantFrom('\u0000', 'x'.repeat(36), LONE_SURROGATE, ' ', 'tx-1\u0000') },
  );

const evseId = () =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(1, 2) }, { weight: 1, arbitrary: chargerInteger() });

/** 2.0.1 sends readings as JSON numbers, scaled by 10^multiplier. */
const sampledValue = () =>
  fc.record(
    {
      value: fc.oneof(
        chargerInteger(),
        fc.constantFrom(-1, 1e20, 12.5, Number.MAX_SAFE_INTEGER + 2, 1e308, -0, 5e-324),
      ),
      measurand: fc.constantFrom('Energy.Active.Import.Register', 'Power.Active.Import', 'SoC', 'Voltage'),
      context: fc.constantFrom('Sample.Periodic', 'Transaction.Begin', 'Transaction.End', 'Trigger'),
      unitOfMeasure: fc.record(
        {
          unit: fc.constantFrom('Wh', 'kWh', 'W', 'Percent', 'V'),
          multiplier: fc.constantFrom(0, 3, -3, 9, 300, -300),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['value'] },
  );

const meterValues = () =>
  fc.array(
    fc.record({
      timestamp: chargerTimestamp(),
      sampledValue: fc.array(sampledValue(), { minLength: 1, maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 3 },
  );

/**
 * For the report parts, whose records hold many fields: one field at an edge refuses the whole
 * frame, so integers are at an edge one time in ten (strings one in five) to keep most frames processed.
 */
const someInteger = () =>
  fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 0, max: 1_000 }) },
    { weight: 1, arbitrary: chargerInteger() },
  );
const someString = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: Math.min(max, 20) }) },
    { weight: 1, arbitrary: ciString(max) },
  );

const component = () =>
  fc.record(
    {
      name: someString(50),
      instance: someString(50),
      evse: fc.record({ id: someInteger(), connectorId: someInteger() }, { requiredKeys: ['id'] }),
    },
    { requiredKeys: ['name'] },
  );

/** A charging schedule as a station reports one: periods out of order, limits negative or huge. */
const chargingSchedule = () =>
  fc.record(
    {
      id: someInteger(),
      chargingRateUnit: fc.constantFrom('A', 'W'),
      startSchedule: chargerTimestamp(),
      duration: someInteger(),
      minChargingRate: fc.constantFrom(0, -1, 1e308),
      chargingSchedulePeriod: fc.array(
        fc.record(
          {
            startPeriod: someInteger(),
            limit: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-1, 1e308)),
            numberPhases: fc.constantFrom(1, 3, 0, -1),
          },
          { requiredKeys: ['startPeriod', 'limit'] },
        ),
        { minLength: 1, maxLength: 4 },
      ),
    },
    { requiredKeys: ['id', 'chargingRateUnit', 'chargingSchedulePeriod'] },
  );

const TOKEN_TYPES = [
  'Central',
  'eMAID',
  'ISO14443',
  'ISO15693',
  'KeyCode',
  'Local',
  'MacAddress',
  'NoAuthorization',
];
const TRIGGER_REASONS = [
  'Authorized',
  'CablePluggedIn',
  'ChargingStateChanged',
  'EVCommunicationLost',
  'EVDeparted',
  'EnergyLimitReached',
  'MeterValuePeriodic',
  'RemoteStart',
  'RemoteStop',
  'StopAuthorized',
  'Trigger',
];
const STOPPED_REASONS = [
  'DeAuthorized',
  'EVDisconnected',
  'EmergencyStop',
  'Local',
  'PowerLoss',
  'Reboot',
  'Remote',
  'Other',
];

function payloadOf(action: Action, idTags: string[]): fc.Arbitrary<Record<string, unknown>> {
  const idToken = fc.record({
    idToken: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...idTags) },
      { weight: 1, arbitrary: ciString(36) },
    ),
    type: fc.constantFrom(...TOKEN_TYPES),
  });
  switch (action) {
    case 'BootNotification':
      return fc.record({
        reason: fc.constantFrom('ApplicationReset', 'FirmwareUpdate', 'PowerUp', 'Watchdog', 'Unknown'),
        chargingStation: fc.record(
          {
            model: ciString(20),
            vendorName: ciString(50),
            serialNumber: ciString(25),
            firmwareVersion: ciString(50),
          },
          { requiredKeys: ['model', 'vendorName'] },
        ),
      });
    case 'Heartbeat':
      return fc.constant({});
    case 'StatusNotification':
      return fc.record({
        timestamp: chargerTimestamp(),
        connectorStatus: fc.constantFrom('Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'),
        evseId: evseId(),
        connectorId: evseId(),
      });
    case 'Authorize':
      return fc.record({ idToken });
    case 'TransactionEvent':
      return fc.record(
        {
          eventType: fc.constantFrom('Started', 'Updated', 'Ended'),
          timestamp: chargerTimestamp(),
          triggerReason: fc.constantFrom(...TRIGGER_REASONS),
          seqNo: fc.oneof(fc.constantFrom(0, 1, 2), chargerInteger()),
          offline: fc.boolean(),
          transactionInfo: fc.record(
            {
              transactionId: transactionId(),
              chargingState: fc.constantFrom(
                'Charging',
                'EVConnected',
                'SuspendedEV',
                'SuspendedEVSE',
                'Idle',
              ),
              stoppedReason: fc.constantFrom(...STOPPED_REASONS),
              remoteStartId: chargerInteger(),
              timeSpentCharging: chargerInteger(),
            },
            { requiredKeys: ['transactionId'] },
          ),
          idToken,
          evse: fc.record({ id: evseId(), connectorId: evseId() }, { requiredKeys: ['id'] }),
          meterValue: meterValues(),
        },
        { requiredKeys: ['eventType', 'timestamp', 'triggerReason', 'seqNo', 'transactionInfo'] },
      );
    case 'MeterValues':
      return fc.record({ evseId: fc.oneof(fc.constant(0), evseId()), meterValue: meterValues() });
    case 'NotifyEvent':
      return fc.record({
        generatedAt: chargerTimestamp(),
        seqNo: chargerInteger(),
        tbc: fc.boolean(),
        eventData: fc.array(
          fc.record({
            eventId: chargerInteger(),
            timestamp: chargerTimestamp(),
            trigger: fc.constantFrom('Alerting', 'Delta', 'Periodic'),
            actualValue: ciString(2500),
            eventNotificationType: fc.constantFrom(
              'HardWiredNotification',
              'HardWiredMonitor',
              'PreconfiguredMonitor',
              'CustomMonitor',
            ),
            component: fc.record({ name: ciString(50) }),
            variable: fc.record({ name: ciString(50) }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
      });
    case 'NotifyReport':
      return fc.record(
        {
          requestId: chargerInteger(),
          generatedAt: chargerTimestamp(),
          seqNo: chargerInteger(),
          tbc: fc.boolean(),
          reportData: fc.array(
            fc.record({
              component: fc.record({ name: ciString(50) }),
              variable: fc.record({ name: ciString(50) }),
              variableAttribute: fc.array(fc.record({ value: ciString(2500) }, { requiredKeys: [] }), {
                minLength: 1,
                maxLength: 2,
              }),
            }),
            { minLength: 1, maxLength: 3 },
          ),
        },
        { requiredKeys: ['requestId', 'generatedAt', 'seqNo'] },
      );
    case 'SecurityEventNotification':
      return fc.record(
        { type: ciString(50), timestamp: chargerTimestamp(), techInfo: ciString(255) },
        { requiredKeys: ['type', 'timestamp'] },
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
    case 'FirmwareStatusNotification':
      return fc.record(
        {
          status: fc.constantFrom(
            'Downloaded',
            'DownloadFailed',
            'Downloading',
            'Idle',
            'Installed',
            'InvalidSignature',
          ),
          requestId: chargerInteger(),
        },
        { requiredKeys: ['status'] },
      );
    case 'NotifyDisplayMessages':
      return fc.record(
        {
          requestId: someInteger(),
          tbc: fc.boolean(),
          messageInfo: fc.array(
            fc.record(
              {
                id: someInteger(),
                priority: fc.constantFrom('AlwaysFront', 'InFront', 'NormalCycle'),
                state: fc.constantFrom('Charging', 'Faulted', 'Idle', 'Unavailable'),
                startDateTime: chargerTimestamp(),
                endDateTime: chargerTimestamp(),
                transactionId: transactionId(),
                message: fc.record(
                  {
                    format: fc.constantFrom('ASCII', 'HTML', 'URI', 'UTF8'),
                    language: someString(8),
                    content: someString(512),
                  },
                  { requiredKeys: ['format', 'content'] },
                ),
                display: component(),
              },
              { requiredKeys: ['id', 'priority', 'message'] },
            ),
            { minLength: 1, maxLength: 3 },
          ),
        },
        { requiredKeys: ['requestId'] },
      );
    case 'NotifyMonitoringReport':
      return fc.record(
        {
          requestId: someInteger(),
          tbc: fc.boolean(),
          seqNo: someInteger(),
          generatedAt: chargerTimestamp(),
          monitor: fc.array(
            fc.record({
              component: component(),
              variable: fc.record(
                { name: someString(50), instance: someString(50) },
                { requiredKeys: ['name'] },
              ),
              variableMonitoring: fc.array(
                fc.record({
                  id: someInteger(),
                  transaction: fc.boolean(),
                  value: fc.oneof(
                    fc.double({ noNaN: true, noDefaultInfinity: true }),
                    fc.constantFrom(-0, 1e308),
                  ),
                  type: fc.constantFrom(
                    'UpperThreshold',
                    'LowerThreshold',
                    'Delta',
                    'Periodic',
                    'PeriodicClockAligned',
                  ),
                  severity: fc.oneof(
                    { weight: 9, arbitrary: fc.integer({ min: 0, max: 9 }) },
                    { weight: 1, arbitrary: chargerInteger() },
                  ),
                }),
                { minLength: 1, maxLength: 3 },
              ),
            }),
            { minLength: 1, maxLength: 3 },
          ),
        },
        { requiredKeys: ['requestId', 'seqNo', 'generatedAt'] },
      );
    case 'ReportChargingProfiles':
      return fc.record(
        {
          requestId: someInteger(),
          chargingLimitSource: fc.constantFrom('EMS', 'Other', 'SO', 'CSO'),
          tbc: fc.boolean(),
          evseId: fc.oneof(fc.constant(0), evseId()),
          chargingProfile: fc.array(
            fc.record(
              {
                id: someInteger(),
                stackLevel: someInteger(),
                chargingProfilePurpose: fc.constantFrom(
                  'ChargingStationExternalConstraints',
                  'ChargingStationMaxProfile',
                  'TxDefaultProfile',
                  'TxProfile',
                ),
                chargingProfileKind: fc.constantFrom('Absolute', 'Recurring', 'Relative'),
                validFrom: chargerTimestamp(),
                validTo: chargerTimestamp(),
                transactionId: transactionId(),
                chargingSchedule: fc.array(chargingSchedule(), { minLength: 1, maxLength: 3 }),
              },
              {
                requiredKeys: [
                  'id',
                  'stackLevel',
                  'chargingProfilePurpose',
                  'chargingProfileKind',
                  'chargingSchedule',
                ],
              },
            ),
            { minLength: 1, maxLength: 3 },
          ),
        },
        { requiredKeys: ['requestId', 'chargingLimitSource', 'evseId', 'chargingProfile'] },
      );
    case 'NotifyChargingLimit':
      return fc.record(
        {
          evseId: fc.oneof(fc.constant(0), evseId()),
          chargingLimit: fc.record(
            {
              chargingLimitSource: fc.constantFrom('EMS', 'Other', 'SO', 'CSO'),
              isGridCritical: fc.boolean(),
            },
            { requiredKeys: ['chargingLimitSource'] },
          ),
          chargingSchedule: fc.array(chargingSchedule(), { minLength: 1, maxLength: 2 }),
        },
        { requiredKeys: ['chargingLimit'] },
      );
    case 'ReservationStatusUpdate':
      return fc.record({
        reservationId: someInteger(),
        reservationUpdateStatus: fc.constantFrom('Expired', 'Removed'),
      });
    case 'LogStatusNotification':
      return fc.record(
        {
          status: fc.constantFrom(
            'BadMessage',
            'Idle',
            'NotSupportedOperation',
            'PermissionDenied',
            'Uploaded',
            'UploadFailure',
            'Uploading',
          ),
          requestId: chargerInteger(),
        },
        { requiredKeys: ['status'] },
      );
  }
}

const callOf = (action: Action, idTags: string[]): fc.Arbitrary<Call> =>
  fc.record({
    messageId: fc.uuid(),
    action: fc.constant(action),
    payload: payloadOf(action, idTags),
    twice: fc.boolean(),
  });

describe('OCPP fuzz: a raw 2.0.1 charger sending boundary frames', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: TestStation;
  let charger: RawCharger;
  let idTags: string[];
  const watch = new EventLoopWatch();
  const seed = fuzzSeed();
  /** CALLRESULTs and CALLERROR codes per action: a generator whose frames are all refused tests nothing. */
  const outcomes = new Map<Action, Map<string, number>>();
  const count = (action: Action, outcome: string) => {
    const of = outcomes.get(action) ?? new Map<string, number>();
    of.set(outcome, (of.get(outcome) ?? 0) + 1);
    outcomes.set(action, of);
  };

  const connect = async () => {
    charger = await RawCharger.connect(
      `${t.wsUrl}/ocpp/${encodeURIComponent(station.chargePointId)}`,
      'ocpp2.0.1',
    );
    const boot = await charger.exchange(
      JSON.stringify([
        2,
        'boot',
        'BootNotification',
        { reason: 'PowerUp', chargingStation: { vendorName: 'Fuzz', model: 'Raw 2.0.1' } },
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
    station = await aStation(t, { tenantId: tenant.tenantId, securityProfile: 0 });
    await aTariff(t, admin, { stationId: station.id, timePerHourMinor: 60 });
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

  /** Sends one frame (twice when asked); problems, with what was sent. */
  async function send(call: Call): Promise<string[]> {
    const problems: string[] = [];
    const text = JSON.stringify([2, call.messageId, call.action, call.payload]);
    for (let i = 0; i < (call.twice ? 2 : 1); i++) {
      watch.handling(text);
      const x = await charger.exchange(text, call.messageId, REPLY_TIMEOUT_MS);
      if (x.reply) count(call.action, x.reply[0] === 3 ? 'CALLRESULT' : String(x.reply[2]));
      const found = exchangeProblems(x, watch.takeMaxMs(), charger, {
        errorCodes: OCPP201_ERROR_CODES,
        mustRefuse: false,
        timeoutMs: REPLY_TIMEOUT_MS,
      });
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
    const report = await checkRuns(seed, `2.0.1 ${name}`, arb, numRuns, async (v) => [
      ...(await run(v)),
      ...(await healthProblems(t.http)),
    ]);
    expect(report).toBe('');
  }

  it.each(ACTIONS)(
    'answers every %s with a CALLRESULT or a 2.0.1 CALLERROR, socket open, loop free',
    async (action) => {
      await check(action, callOf(action, idTags), RUNS_PER_ACTION, send);
      // Most frames are valid and processed; the boundary ones may be refused.
      const seen = Object.fromEntries(outcomes.get(action) ?? []);
      expect({ action, processed: (seen.CALLRESULT ?? 0) >= RUNS_PER_ACTION / 2, seen }).toEqual({
        action,
        processed: true,
        seen,
      });
    },
    300_000,
  );

  it('answers sequences of any actions (ended before started, resent seqNo, repeats) the same way', async () => {
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

  it('stores no session with negative energy or cost, and lists them without stalling', async () => {
    const audit = await sessionsAudit(t, admin.auth, station.id, watch);
    expect(audit.worstStallMs).toBeLessThanOrEqual(STALL_BOUND_MS);
    expect(audit.statuses.every((status) => status === 200)).toBe(true);
    expect(audit.seen).toBeGreaterThan(0);
    expect(audit.negative).toEqual([]);
  });
});
