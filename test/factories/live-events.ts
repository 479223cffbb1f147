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
