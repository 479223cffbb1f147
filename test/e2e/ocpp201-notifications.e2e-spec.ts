import type { RPCClient } from 'ocpp-rpc';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin, aTenantWithAdmin, aUser } from '../factories/accounts';
import { aCharger201 } from '../factories/charger201';
import { CommandStation, aRegisteredStation } from './commands.helpers';

const now = () => new Date().toISOString();
const schedule = { id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }] };

/** A minimal valid request of every OCPP 2.0.1 report a station sends besides charging. */
const REPORTS: Record<string, object> = {
  NotifyReport: {
    requestId: 1,
    generatedAt: now(),
    seqNo: 0,
    reportData: [
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'HeartbeatInterval' },
        variableAttribute: [{ value: '300' }],
      },
    ],
  },
  NotifyEvent: {
    generatedAt: now(),
    seqNo: 0,
    eventData: [
      {
        eventId: 1,
        timestamp: now(),
        trigger: 'Alerting',
        actualValue: 'true',
        eventNotificationType: 'HardWiredNotification',
        component: { name: 'Connector' },
        variable: { name: 'Problem' },
      },
    ],
  },
  SecurityEventNotification: { type: 'FirmwareUpdated', timestamp: now() },
  NotifyChargingLimit: { chargingLimit: { chargingLimitSource: 'EMS' } },
  ClearedChargingLimit: { chargingLimitSource: 'EMS' },
  ReportChargingProfiles: {
    requestId: 2,
    chargingLimitSource: 'CSO',
    evseId: 1,
    chargingProfile: [
      {
        id: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: [schedule],
      },
    ],
  },
  NotifyCustomerInformation: { data: 'none', seqNo: 0, generatedAt: now(), requestId: 3 },
  NotifyMonitoringReport: { requestId: 4, seqNo: 0, generatedAt: now() },
  NotifyDisplayMessages: { requestId: 5 },
  PublishFirmwareStatusNotification: { status: 'Idle' },
  ReservationStatusUpdate: { reservationId: 6, reservationUpdateStatus: 'Expired' },
  NotifyEVChargingSchedule: { timeBase: now(), evseId: 1, chargingSchedule: schedule },
  NotifyEVChargingNeeds: { evseId: 1, chargingNeeds: { requestedEnergyTransfer: 'AC_three_phase' } },
  SignCertificate: { csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----' },
  Get15118EVCertificate: {
    iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef',
    action: 'Install',
    exiRequest: 'AA==',
  },
  GetCertificateStatus: {
    ocspRequestData: {
      hashAlgorithm: 'SHA256',
      issuerNameHash: 'a'.repeat(64),
      issuerKeyHash: 'b'.repeat(64),
      serialNumber: '01',
      responderURL: 'http://ocsp.example.com',
    },
  },
};

describe('OCPP 2.0.1 station reports: stored before they are answered, listed for operators', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: CommandStation;
  let charger: RPCClient;

  beforeAll(async () => {
    t = await startApp();
    admin = await aDefaultTenantAdmin(t);
    station = await aRegisteredStation(t, admin);
    charger = await aCharger201(t, station);
  });
  afterAll(async () => {
    await charger?.close({ force: true });
    await t.close();
  });

  const list = (query = '', who = admin) =>
    t.http.get(`/api/v1/stations/${station.id}/notifications${query}`).set(who.auth);

  it('answers every report with a reply the 2.0.1 schema accepts, and has stored it when it answers', async () => {
    for (const [action, request] of Object.entries(REPORTS)) {
      // The client is in strict mode: a reply outside the schema fails the call.
      await charger.call(action, request);
      const stored = (await list(`?action=${action}`).expect(200)).body.items;
      expect(stored).toEqual([expect.objectContaining({ action, payload: request })]);
    }
  });

  it('says plainly what it will not do: sign a certificate for a station on plain ws, compute EV schedules', async () => {
    expect(await charger.call('SignCertificate', REPORTS.SignCertificate)).toMatchObject({
      status: 'Rejected',
      statusInfo: { reasonCode: 'InsecureConnection' },
    });
    expect(await charger.call('NotifyEVChargingNeeds', REPORTS.NotifyEVChargingNeeds)).toMatchObject({
      status: 'Rejected',
    });
  });

  it('stores a burst of 200 concurrent reports, every one', async () => {
    const before = (await list('?action=NotifyEvent&limit=200').expect(200)).body.items.length;
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        charger.call('NotifyEvent', { ...REPORTS.NotifyEvent, seqNo: i }),
      ),
    );
    const pages: unknown[] = [];
    for (let cursor = ''; ;) {
      const res = await list(`?action=NotifyEvent&limit=100${cursor}`).expect(200);
      pages.push(...res.body.items);
      if (!res.body.nextCursor) break;
      cursor = `&cursor=${encodeURIComponent(res.body.nextCursor)}`;
    }
    expect(pages).toHaveLength(before + 200);
  });

  it('keeps the list to the station’s tenant and its admins', async () => {
    const other = await aTenantWithAdmin(t);
    await list('', other.admin).expect(404);
    await list('', await aUser(t)).expect(403);
    await list('?action=NotAReport').expect(400);
    await list('?cursor=forged').expect(400);
  });
});
