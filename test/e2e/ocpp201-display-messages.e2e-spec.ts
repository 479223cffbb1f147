import type { RPCClient } from 'ocpp-rpc';
import { ChargingStation201 } from '../../src/simulator/v201/charging-station';
import { TestApp, startApp } from '../app';
import { TestAccount, aTenantWithAdmin, aUser } from '../factories/accounts';
import { aCharger201, aSimulatedStation201 } from '../factories/charger201';
import { aCharger, eventually } from '../factories/chargers';
import { CommandStation, aRegisteredStation } from './commands.helpers';

interface Item {
  id: number;
  priority: string;
  state: string | null;
  message: { format: string; language?: string; content: string };
  status: string;
}

const notice = (content: string, extra: object = {}) => ({
  priority: 'InFront',
  message: { format: 'UTF8', language: 'en', content },
  ...extra,
});

describe('OCPP 2.0.1 display messages: set, listed, refreshed from the station and cleared', () => {
  let t: TestApp;
  let admin: TestAccount;
  const open: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    t = await startApp();
    ({ admin } = await aTenantWithAdmin(t));
  });
  afterAll(async () => {
    for (const s of open) await s.close();
    await t.close();
  });

  async function aStation(): Promise<{ station: CommandStation; sim: ChargingStation201 }> {
    const station = await aRegisteredStation(t, admin);
    const sim = await aSimulatedStation201(t, station.chargePointId, open);
    return { station, sim };
  }

  const base = (s: CommandStation) => `/api/v1/stations/${s.id}/display-messages`;
  const set = (s: CommandStation, body: object, who = admin) => t.http.post(base(s)).set(who.auth).send(body);
  const list = (s: CommandStation, who = admin) => t.http.get(base(s)).set(who.auth);
  const refresh = (s: CommandStation, who = admin) => t.http.post(`${base(s)}/refresh`).set(who.auth);
  const clear = (s: CommandStation, id: number | string, who = admin) =>
    t.http.delete(`${base(s)}/${id}`).set(who.auth);

  it('sets a message, allocating its id, stores it with the station’s answer and lists it', async () => {
    const { station, sim } = await aStation();
    const res = await set(station, notice('Closed for maintenance at 22:00', { state: 'Idle' })).expect(200);
    expect(res.body).toEqual({
      status: 'Accepted',
      displayMessage: expect.objectContaining({
        id: 1,
        priority: 'InFront',
        state: 'Idle',
        message: { format: 'UTF8', language: 'en', content: 'Closed for maintenance at 22:00' },
        status: 'Accepted',
      }),
    });
    expect(sim.displayMonitoring.messages.get(1)).toEqual({
      id: 1,
      priority: 'InFront',
      state: 'Idle',
      message: { format: 'UTF8', language: 'en', content: 'Closed for maintenance at 22:00' },
    });
    const second = await set(station, notice('Free parking', { priority: 'NormalCycle' })).expect(200);
    expect(second.body.displayMessage.id).toBe(2);

    const listed = await list(station).expect(200);
    expect(listed.body.items.map((i: Item) => [i.id, i.message.content, i.status])).toEqual([
      [1, 'Closed for maintenance at 22:00', 'Accepted'],
      [2, 'Free parking', 'Accepted'],
    ]);
    const audit = await t.http
      .get(`/api/v1/stations/${station.id}/commands/audit`)
      .set(admin.auth)
      .expect(200);
    expect(JSON.stringify(audit.body)).toContain('SetDisplayMessage');
  });

  it('replaces a message by id, and keeps one the station refused with its status', async () => {
    const { station, sim } = await aStation();
    await set(station, notice('first', { id: 7 })).expect(200);
    await set(
      station,
      notice('second', { id: 7, startDateTime: '2026-12-05T08:00:00Z', endDateTime: '2026-12-05T22:00:00Z' }),
    ).expect(200);
    // The simulated display renders no HTML.
    const html = await set(station, {
      priority: 'AlwaysFront',
      message: { format: 'HTML', content: '<b>x</b>' },
    }).expect(200);
    expect(html.body).toMatchObject({
      status: 'NotSupportedMessageFormat',
      displayMessage: { id: 8, status: 'NotSupportedMessageFormat' },
    });
    // A refused replacement leaves the stored message (the station still shows it).
    const refused = await set(station, {
      id: 7,
      priority: 'InFront',
      message: { format: 'HTML', content: '<i>y</i>' },
    }).expect(200);
    expect(refused.body).toMatchObject({
      status: 'NotSupportedMessageFormat',
      displayMessage: { id: 7, status: 'Accepted' },
    });
    const unknownTx = await set(station, notice('tx', { transactionId: 'no-such-transaction' })).expect(200);
    expect(unknownTx.body.status).toBe('UnknownTransaction');

    const items = (await list(station).expect(200)).body.items as (Item & { startDateTime: string | null })[];
    expect(items.find((i) => i.id === 7)).toMatchObject({
      message: { content: 'second' },
      startDateTime: '2026-12-05T08:00:00.000Z',
      status: 'Accepted',
    });
    expect(sim.displayMonitoring.messages.get(7)?.message.content).toBe('second');
  });

  it('clears a message; 404 for an id not stored; Unknown at the station removes it too', async () => {
    const { station, sim } = await aStation();
    await set(station, notice('one')).expect(200);
    await set(station, notice('two')).expect(200);
    await expect(clear(station, 1).expect(200)).resolves.toMatchObject({ body: { status: 'Accepted' } });
    expect(sim.displayMonitoring.messages.has(1)).toBe(false);
    expect((await clear(station, 1).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await clear(station, 'abc').expect(400)).body.code).toBe('VALIDATION_FAILED');

    // The station lost message 2 on its own (a reboot, say): Unknown, and it is no longer stored.
    sim.displayMonitoring.messages.delete(2);
    expect((await clear(station, 2).expect(200)).body).toEqual({ status: 'Unknown' });
    expect((await list(station).expect(200)).body.items).toEqual([]);
  });

  it('refreshes the stored set from the station’s report, in parts: the station is the truth', async () => {
    const { station, sim } = await aStation();
    for (let i = 1; i <= 3; i++) await set(station, notice(`set ${i}`)).expect(200);
    // The station lost message 2, and holds 6 it was given elsewhere (its local operator, say).
    sim.displayMonitoring.messages.delete(2);
    for (let id = 10; id < 16; id++)
      sim.displayMonitoring.messages.set(id, {
        id,
        priority: 'NormalCycle',
        message: { format: 'ASCII', content: `local ${id}` },
      });
    const res = await refresh(station).expect(200);
    expect(res.body).toEqual({ status: 'Accepted', requestId: expect.any(Number) });
    // 8 messages in parts of 4: the set is replaced once the last part arrived.
    await eventually(async () => {
      const items = (await list(station).expect(200)).body.items as Item[];
      expect(items.map((i) => i.id)).toEqual([1, 3, 10, 11, 12, 13, 14, 15]);
    });
    const items = (await list(station).expect(200)).body.items as Item[];
    expect(items.find((i) => i.id === 10)).toMatchObject({
      priority: 'NormalCycle',
      message: { format: 'ASCII', content: 'local 10' },
      status: 'Reported',
    });

    // A station with no message at all answers Unknown: the stored set is emptied.
    sim.displayMonitoring.messages.clear();
    expect((await refresh(station).expect(200)).body.status).toBe('Unknown');
    expect((await list(station).expect(200)).body.items).toEqual([]);
  });

  it('stores an unsolicited report part without removing anything, and refuses ids past 32 bits', async () => {
    const station = await aRegisteredStation(t, admin);
    const charger: RPCClient = await aCharger201(t, station);
    open.push({ close: () => charger.close({ force: true }) });
    charger.handle('SetDisplayMessage', async () => ({ status: 'Accepted' }));
    await set(station, notice('kept')).expect(200);
    await charger.call('NotifyDisplayMessages', {
      requestId: 99,
      messageInfo: [
        {
          id: 5,
          priority: 'AlwaysFront',
          message: { format: 'URI', content: 'https://example.com/x' },
          display: { name: 'Display', evse: { id: 1 } },
        },
        { id: 5, priority: 'AlwaysFront', message: { format: 'URI', content: 'https://example.com/y' } },
      ],
    });
    const items = (await list(station).expect(200)).body.items as Item[];
    expect(items.map((i) => [i.id, i.message.content, i.status])).toEqual([
      [1, 'kept', 'Accepted'],
      [5, 'https://example.com/y', 'Reported'],
    ]);
    await expect(
      charger.call('NotifyDisplayMessages', {
        requestId: 99,
        messageInfo: [{ id: 2 ** 31, priority: 'InFront', message: { format: 'UTF8', content: 'x' } }],
      }),
    ).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
  });

  it('gives requests at once each their own id, never reuses a cleared one, and 409 when none is left', async () => {
    const { station, sim } = await aStation();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => set(station, notice(`at once ${i}`)).expect(200)),
    );
    const ids = answers.map((r) => r.body.displayMessage.id as number).sort((a, b) => a - b);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...sim.displayMonitoring.messages.keys()].sort((a, b) => a - b)).toEqual(ids);
    expect(((await list(station).expect(200)).body.items as Item[]).map((i) => i.id)).toEqual(ids);

    await clear(station, 8).expect(200);
    expect((await set(station, notice('after the clear')).expect(200)).body.displayMessage.id).toBe(9);

    // The station reports a message of its own with the highest id there is: nothing is left above it.
    sim.displayMonitoring.messages.set(2 ** 31 - 1, {
      id: 2 ** 31 - 1,
      priority: 'NormalCycle',
      message: { format: 'ASCII', content: 'local' },
    });
    await refresh(station).expect(200);
    await eventually(async () =>
      expect(((await list(station).expect(200)).body.items as Item[]).map((i) => i.id)).toContain(
        2 ** 31 - 1,
      ),
    );
    const none = await set(station, notice('no room')).expect(409);
    expect(none.body).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('give an id') });
    expect((await set(station, notice('given', { id: 100 })).expect(200)).body.displayMessage.id).toBe(100);
  });

  it('answers 400 naming the bad fields', async () => {
    const { station } = await aStation();
    const cases: [object, string][] = [
      [{ message: { format: 'UTF8', content: 'x' } }, 'priority'],
      [{ priority: 'Sometimes', message: { format: 'UTF8', content: 'x' } }, 'priority'],
      [notice('x'.repeat(513)), 'message.content'],
      [{ priority: 'InFront', message: { format: 'RTF', content: 'x' } }, 'message.format'],
      [notice('x', { id: -1 }), 'id'],
      [notice('x', { state: 'Sleeping' }), 'state'],
      [notice('x', { startDateTime: 'tomorrow' }), 'startDateTime'],
      [
        notice('x', { startDateTime: '2026-12-05T10:00:00Z', endDateTime: '2026-12-05T09:00:00Z' }),
        'endDateTime',
      ],
      [notice('x', { display: { evse: { id: 1 } } }), 'display.name'],
    ];
    for (const [body, field] of cases) {
      const res = await set(station, body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).toContain(field);
    }
  });

  it('keeps display messages to the station’s tenant and its admins', async () => {
    const { station } = await aStation();
    await set(station, notice('mine')).expect(200);
    const other = await aTenantWithAdmin(t);
    await list(station, other.admin).expect(404);
    await set(station, notice('theirs'), other.admin).expect(404);
    await refresh(station, other.admin).expect(404);
    await clear(station, 1, other.admin).expect(404);
    const user = await aUser(t);
    await list(station, user).expect(403);
    await set(station, notice('user'), user).expect(403);
    expect((await list(station).expect(200)).body.items).toHaveLength(1);
  });

  it('answers 409 UNSUPPORTED_BY_PROTOCOL for a 1.6 station', async () => {
    const station16 = await aRegisteredStation(t, admin);
    const charger = await aCharger(t, station16);
    open.push(charger);
    for (const res of [
      await set(station16, notice('x')),
      await refresh(station16),
      await clear(station16, 1),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('UNSUPPORTED_BY_PROTOCOL');
    }
    expect((await list(station16).expect(200)).body.items).toEqual([]);
  });
});
