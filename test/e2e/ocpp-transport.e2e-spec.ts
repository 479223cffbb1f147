import fc from 'fast-check';
import WebSocket from 'ws';
import type { Db } from '../../src/database/database';
import { DB } from '../../src/database/database.module';
import type { ChargerSimulator } from '../../src/simulator/charger-simulator';
import { TestApp, startApp } from '../app';
import {
  TestStation,
  aCharger,
  aStation,
  connectorRows,
  eventually,
  handshake,
  stationRow,
} from '../factories/chargers';
import {
  clientFrameHeader,
  closeCode,
  closedWithin,
  rawConnection,
  rawUpgrade,
} from '../factories/raw-sockets';

const MAX_FRAME_BYTES = 65_536;
const PING_INTERVAL_MS = 250;
const HEADERS_TIMEOUT_MS = 500;
const REQUEST_TIMEOUT_MS = 1_000;
const KEEP_ALIVE_TIMEOUT_MS = 300;
const HANDSHAKE_TIMEOUT_MS = 500;
/** Node looks for overdue requests once a second at most; a loaded test machine adds its own delay. */
const SLACK_MS = 1_500;

describe('OCPP transport against bad peers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({
      OCPP_FLUSH_INTERVAL_MS: '100',
      OCPP_MAX_FRAME_BYTES: String(MAX_FRAME_BYTES),
      OCPP_PING_INTERVAL_MS: String(PING_INTERVAL_MS),
      OCPP_HANDSHAKE_TIMEOUT_MS: String(HANDSHAKE_TIMEOUT_MS),
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
    });
  });
  afterAll(() => t.close());

  const url = (s: TestStation) => `${t.wsUrl}/ocpp/${s.chargePointId}`;

  /** Sends a raw frame and resolves with the answer carrying the same message id. */
  async function exchange(charger: ChargerSimulator, frame: unknown[]): Promise<unknown[]> {
    const id = JSON.stringify(frame[1]);
    const answer = charger.nextRawMessage({
      match: (f) => f.startsWith(`[3,${id},`) || f.startsWith(`[4,${id},`),
    });
    charger.sendRaw(JSON.stringify(frame));
    return JSON.parse(await answer) as unknown[];
  }

  /** A DataTransfer frame of exactly `bytes` bytes. */
  const dataTransferOf = (bytes: number) => {
    const empty = JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'kw', data: '' }]);
    return JSON.stringify([
      2,
      'big',
      'DataTransfer',
      { vendorId: 'kw', data: 'x'.repeat(bytes - empty.length) },
    ]);
  };

  describe('frame size cap (OCPP_MAX_FRAME_BYTES)', () => {
    it('answers a frame exactly at the cap', async () => {
      const charger = await aCharger(t, await aStation(t));
      const frame = dataTransferOf(MAX_FRAME_BYTES);
      expect(Buffer.byteLength(frame)).toBe(MAX_FRAME_BYTES);
      const answer = charger.nextRawMessage({ match: (f) => f.startsWith('[3,"big",') });
      charger.sendRaw(frame);
      expect(JSON.parse(await answer)).toEqual([3, 'big', { status: 'UnknownVendorId' }]);
      await charger.close();
    });

    it('closes the socket with 1009 on a frame one byte over the cap and marks the station offline', async () => {
      const station = await aStation(t);
      const charger = await aCharger(t, station);
      const closed = new Promise<{ code: number }>((r) => charger.once('close', r));
      charger.sendRaw(dataTransferOf(MAX_FRAME_BYTES + 1));
      expect((await closed).code).toBe(1009);
      await eventually(async () => expect((await stationRow(t, station.id)).online).toBe(false));
    });

    it('closes at the frame header, before buffering: three 90 MB frames at once leave RSS flat', async () => {
      const announced = 90 * 1024 * 1024;
      const chunk = Buffer.alloc(64 * 1024);
      const rssBefore = process.memoryUsage().rss;
      const sockets = await Promise.all(
        [1, 2, 3].map(async () => {
          const s = await aStation(t);
          const { head, socket, rest } = await rawUpgrade(t.baseUrl, `/ocpp/${s.chargePointId}`, 'ocpp1.6');
          expect(head).toMatch(/^HTTP\/1\.1 101 /);
          return { socket, rest };
        }),
      );
      const results = await Promise.all(
        sockets.map(async ({ socket, rest }) => {
          const code = closeCode(socket, rest);
          let stopped = false;
          void code.finally(() => (stopped = true));
          socket.on('error', () => (stopped = true));
          socket.write(clientFrameHeader(announced));
          // Streams the announced payload (with backpressure) until the server's close frame arrives.
          let sent = 0;
          while (!stopped && sent < announced) {
            if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r).once('close', r));
            sent += chunk.length;
            await new Promise((r) => setImmediate(r));
          }
          const result = { code: await code, sent };
          socket.destroy();
          return result;
        }),
      );
      for (const { code, sent } of results) {
        expect(code).toBe(1009);
        expect(sent).toBeLessThan(announced);
      }
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
    });
  });

  describe('message ids (OCPP-J 1.6 §4.1.3: 1 to 36 characters)', () => {
    let station: TestStation;
    let charger: ChargerSimulator;
    beforeAll(async () => {
      station = await aStation(t);
      charger = await aCharger(t, station);
    });
    afterAll(() => charger.close());

    it('answers an empty or over-long id with FormationViolation and does not dispatch the call', async () => {
      for (const id of ['', 'x'.repeat(37)]) {
        const answer = await exchange(charger, [
          2,
          id,
          'StatusNotification',
          {
            connectorId: 1,
            status: 'Faulted',
            errorCode: 'GroundFailure',
          },
        ]);
        expect(answer.slice(0, 3)).toEqual([4, id, 'FormationViolation']);
      }
      expect((await connectorRows(t, station.id)).map((c) => c.status)).not.toContain('Faulted');
      // The same call under a 36-character id is processed.
      const id = 'y'.repeat(36);
      expect(
        await exchange(charger, [
          2,
          id,
          'StatusNotification',
          {
            connectorId: 1,
            status: 'Faulted',
            errorCode: 'GroundFailure',
          },
        ]),
      ).toEqual([3, id, {}]);
      await eventually(async () =>
        expect((await connectorRows(t, station.id)).find((c) => c.connectorId === 1)?.status).toBe('Faulted'),
      );
    });

    it('answers every id of 1-36 characters, and refuses every longer one', async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.string({ minLength: 1, maxLength: 36 }), fc.string({ minLength: 37, maxLength: 200 })),
          async (raw) => {
            // Unique per run, same length: two calls in flight never share an id.
            const suffix = String(n++);
            const id = raw.length > suffix.length ? raw.slice(0, raw.length - suffix.length) + suffix : raw;
            const answer = await exchange(charger, [2, id, 'Heartbeat', {}]);
            if (id.length <= 36) expect(answer.slice(0, 2)).toEqual([3, id]);
            else expect(answer.slice(0, 3)).toEqual([4, id, 'FormationViolation']);
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  describe('subprotocol negotiation (OCPP-J 1.6 §3.1.2)', () => {
    it('speaks 1.6 to a charger that offers no subprotocol, answering none, with 1.6 schema checks', async () => {
      const s = await aStation(t);
      const res = await handshake(url(s), { protocols: [] });
      expect(res.status).toBe(101);
      expect(res.protocol).toBe('');
      const ws = res.ws!;
      const next = () =>
        new Promise<unknown[]>((r) => ws.once('message', (m) => r(JSON.parse(m.toString()))));
      let answer = next();
      ws.send(JSON.stringify([2, 'h1', 'Heartbeat', {}]));
      expect((await answer).slice(0, 2)).toEqual([3, 'h1']);
      // A BootNotification without its vendor fails the 1.6 schema, as on an ocpp1.6 socket.
      answer = next();
      ws.send(JSON.stringify([2, 'b1', 'BootNotification', { chargePointModel: 'X' }]));
      expect((await answer).slice(0, 3)).toEqual([4, 'b1', 'OccurrenceConstraintViolation']);
      ws.close();
    });

    it.each(['ocpp2.0', 'foo', 'ocpp2.1, ocpp1.5'])(
      'completes the handshake without a subprotocol and closes with 1002 when offered only "%s"',
      async (offered) => {
        const s = await aStation(t);
        const { head, socket, rest } = await rawUpgrade(t.baseUrl, `/ocpp/${s.chargePointId}`, offered);
        expect(head).toMatch(/^HTTP\/1\.1 101 /);
        expect(head).not.toMatch(/sec-websocket-protocol/i);
        expect(await closeCode(socket, rest)).toBe(1002);
        socket.destroy();
        // The socket never counted as the station's connection.
        expect((await stationRow(t, s.id)).online).toBe(false);
      },
    );
  });

  it.each(['ocpp1.6', ''])(
    'closes with 1002 a station pinned to ocpp2.0.1 that offers only "%s"',
    async (offered) => {
      const s = await aStation(t, { ocppVersions: ['ocpp2.0.1'] });
      const { head, socket, rest } = await rawUpgrade(
        t.baseUrl,
        `/ocpp/${s.chargePointId}`,
        offered || undefined,
      );
      expect(head).toMatch(/^HTTP\/1\.1 101 /);
      expect(head).not.toMatch(/sec-websocket-protocol/i);
      expect(await closeCode(socket, rest)).toBe(1002);
      socket.destroy();
      expect((await stationRow(t, s.id)).online).toBe(false);
    },
  );

  describe('idle and dead peers', () => {
    it('pings chargers and drops one whose pongs stop, marking it offline', async () => {
      const quiet = await aStation(t);
      const healthy = await aStation(t);
      const alive = await aCharger(t, healthy);
      const ws = new WebSocket(url(quiet), ['ocpp1.6'], { autoPong: false });
      let pinged = 0;
      ws.on('ping', () => pinged++);
      await new Promise((r) => ws.once('open', r));
      await eventually(async () => expect((await stationRow(t, quiet.id)).online).toBe(true));
      const opened = Date.now();
      const code = await new Promise<number>((r) => ws.once('close', r));
      // Terminated without a close frame; one unanswered ping, dropped at the next.
      expect(code).toBe(1006);
      expect(pinged).toBeGreaterThanOrEqual(1);
      expect(Date.now() - opened).toBeLessThan(2 * PING_INTERVAL_MS + SLACK_MS);
      await eventually(async () => expect((await stationRow(t, quiet.id)).online).toBe(false));
      // A charger that answers the pings stays, well past several intervals and the HTTP timeouts:
      // a real wait, as those are the server's network timers.
      await new Promise((r) => setTimeout(r, REQUEST_TIMEOUT_MS + PING_INTERVAL_MS));
      await expect(alive.heartbeat()).resolves.toHaveProperty('currentTime');
      expect((await stationRow(t, healthy.id)).online).toBe(true);
      await alive.close();
    });

    it.each([
      ['sends nothing', ''],
      ['sends half a request line', 'GET /api/v1/heal'],
      [
        'sends half an upgrade request',
        'GET /ocpp/CP1 HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n',
      ],
    ])('closes a TCP connection that %s within the header timeout', async (_name, bytes) => {
      const socket = await rawConnection(t.baseUrl);
      const since = Date.now();
      if (bytes) socket.write(bytes);
      expect(await closedWithin(socket, since, HEADERS_TIMEOUT_MS + SLACK_MS + 2_000)).toBeLessThan(
        HEADERS_TIMEOUT_MS + SLACK_MS,
      );
    });

    it('closes a request whose body never completes within the request timeout', async () => {
      const socket = await rawConnection(t.baseUrl);
      const since = Date.now();
      socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n');
      socket.write('Content-Length: 1000\r\n\r\n{"username":');
      expect(await closedWithin(socket, since, REQUEST_TIMEOUT_MS + SLACK_MS + 2_000)).toBeLessThan(
        REQUEST_TIMEOUT_MS + SLACK_MS,
      );
    });

    it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
      const socket = await rawConnection(t.baseUrl);
      const response = new Promise<string>((r) => socket.once('data', (d) => r(d.toString())));
      socket.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
      expect(await response).toMatch(/^HTTP\/1\.1 200 /);
      const since = Date.now();
      expect(await closedWithin(socket, since, KEEP_ALIVE_TIMEOUT_MS + SLACK_MS + 2_000)).toBeLessThan(
        KEEP_ALIVE_TIMEOUT_MS + SLACK_MS,
      );
    });

    it('answers 503 to an upgrade not decided within the handshake timeout, then admits again', async () => {
      const s = await aStation(t);
      const db = t.app.get<Db>(DB);
      // The admission lookup waits for the stations table while this transaction holds it.
      await db.transaction(async (tx) => {
        await tx.execute('lock table stations in access exclusive mode');
        const started = Date.now();
        expect((await handshake(url(s))).status).toBe(503);
        expect(Date.now() - started).toBeLessThan(HANDSHAKE_TIMEOUT_MS + SLACK_MS);
      });
      const again = await handshake(url(s));
      expect(again.status).toBe(101);
      again.ws!.close();
    });
  });
});
