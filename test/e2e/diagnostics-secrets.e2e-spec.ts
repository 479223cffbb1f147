import { Logger } from '@nestjs/common';
import { createRPCError } from 'ocpp-rpc';
import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import { TestAccount, aDefaultTenantAdmin } from '../factories/accounts';
import { eventually } from '../factories/chargers';
import { CommandStation, aConnectedCharger, aRegisteredStation, commandUrl } from './commands.helpers';

const TOKEN_IN = (location: string) => location.split('/diagnostics-uploads/')[1];

describe('Diagnostics upload tokens stay out of logs and errors; a loopback upload URL is warned about', () => {
  let t: TestApp;
  let admin: TestAccount;
  let station: CommandStation;
  let charger: ChargerSimulator;
  const warn = jest.spyOn(Logger.prototype, 'warn');
  const warnings = () => warn.mock.calls.map((args) => JSON.stringify(args));

  beforeAll(async () => {
    // No PUBLIC_BASE_URL: upload URLs are derived from the listening address, 127.0.0.1 here.
    t = await startApp({ OCPP_FLUSH_INTERVAL_MS: '100', OCPP_CALL_TIMEOUT_MS: '1500' });
    admin = await aDefaultTenantAdmin(t);
    station = await aRegisteredStation(t, admin);
    charger = await aConnectedCharger(t, station);
  });
  afterAll(async () => {
    warn.mockRestore();
    await charger.close();
    await t.close();
  });

  const audit = async () =>
    (
      await t.http
        .get(`/api/v1/stations/${station.id}/commands/audit?action=GetDiagnostics`)
        .set(admin.auth)
        .expect(200)
    ).body.items;
  const ocppLog = async () =>
    (await t.http.get(`/api/v1/stations/${station.id}/ocpp-log?limit=100`).set(admin.auth).expect(200)).body
      .items;

  it('warns at start that PUBLIC_BASE_URL is not set', () => {
    expect(warnings().some((w) => w.includes('PUBLIC_BASE_URL is not set'))).toBe(true);
  });

  it('gives the charger the token but stores and shows only a mask, and warns of the loopback URL', async () => {
    charger.respond('GetDiagnostics', { fileName: 'diag.log' });
    await t.http.post(commandUrl(station, 'get-diagnostics')).set(admin.auth).send({}).expect(200);
    const sent = await charger.waitFor('GetDiagnostics');
    const token = TOKEN_IN(sent.location);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const [entry] = await audit();
    expect(entry.request.location).toBe(`${t.baseUrl}/api/v1/diagnostics-uploads/***`);
    const frames = await eventually(async () => {
      const items = await ocppLog();
      const call = items.find((m: { action: string }) => m.action === 'GetDiagnostics');
      expect(call.frame[3].location).toBe(`${t.baseUrl}/api/v1/diagnostics-uploads/***`);
      return items;
    });
    expect(JSON.stringify([entry, frames])).not.toContain(token);
    expect(warnings().some((w) => w.includes(station.chargePointId) && w.includes('loopback'))).toBe(true);
  });

  it('masks the token a charger quotes in its CALLERROR, in the answer, the audit and the OCPP log', async () => {
    charger.respond('GetDiagnostics', (req) => {
      throw createRPCError('InternalError', `cannot reach ${req.location}`);
    });
    const res = await t.http
      .post(commandUrl(station, 'get-diagnostics'))
      .set(admin.auth)
      .send({})
      .expect(502);
    const [sent] = charger.received.filter((c) => c.action === 'GetDiagnostics').slice(-1);
    const token = TOKEN_IN(String(sent.params.location));

    expect(res.body.code).toBe('CHARGER_ERROR');
    expect(res.body.details.ocppErrorDescription).toContain('/diagnostics-uploads/***');
    const [entry] = await audit();
    expect(entry.errorCode).toBe('CHARGER_ERROR');
    const frames = await eventually(async () => {
      const items = await ocppLog();
      expect(items.some((m: { messageType: number }) => m.messageType === 4)).toBe(true);
      return items;
    });
    expect(JSON.stringify([res.body, entry, frames])).not.toContain(token);
  });
});
