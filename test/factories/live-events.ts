import WebSocket from 'ws';

export type LiveMessage = { type?: string; ready?: boolean; id?: string; data?: Record<string, unknown> };

/** An account's live `/events` socket, once ready, collecting every event it pushes. */
export async function liveEvents(
  wsUrl: string,
  token: string,
): Promise<{ ws: WebSocket; events: LiveMessage[] }> {
  const ws = new WebSocket(`${wsUrl}/events?access_token=${token}`);
  const events: LiveMessage[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as LiveMessage;
      if (m.ready) resolve();
      else events.push(m);
    });
    ws.once('error', reject);
  });
  return { ws, events };
}

export interface LiveSocket {
  ws: WebSocket;
  events: LiveMessage[];
  /** The `ready` message, or the close if the server refused the socket. */
  ready: Promise<LiveMessage>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A live `/events` socket with any credentials, which may be refused: `closed` tells how. */
export function liveSocket(wsUrl: string, headers: Record<string, string>): LiveSocket {
  const ws = new WebSocket(`${wsUrl}/events`, { headers });
  const events: LiveMessage[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const ready = new Promise<LiveMessage>((resolve, reject) => {
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as LiveMessage;
      if (m.ready) resolve(m);
      else events.push(m);
    });
    void closed.then((c) => reject(new Error(`closed before ready: ${c.code} ${c.reason}`)));
  });
  ready.catch(() => undefined);
  return { ws, events, ready, closed };
}
