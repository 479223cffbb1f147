import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookDeliveryWorker } from '../../src/events/webhook-delivery.worker';
import { WebhookEnqueuer } from '../../src/events/webhook-enqueuer';
import type { TestApp } from '../app';
import type { TestAccount } from './accounts';

/**
 * Every event published on the node so far is queued, a whole polling round started after that
 * (the first call may join one under way) has claimed whatever was due, and every attempt it
 * started has ended: a further request to a receiver would be in by now.
 */
export async function noMoreAttempts(t: TestApp): Promise<void> {
  await t.app.get(WebhookEnqueuer).drained();
  const worker = t.app.get(WebhookDeliveryWorker);
  await worker.poll();
  await worker.poll();
  await worker.settled();
}

export interface CreatedWebhook {
  id: string;
  url: string;
  events: string[];
  secret: string;
}

/** Registers a webhook over HTTP as an admin would. */
export async function aWebhook(
  t: TestApp,
  admin: TestAccount,
  overrides: { url: string; events?: string[]; description?: string },
): Promise<CreatedWebhook> {
  const res = await t.http
    .post('/api/v1/webhooks')
    .set(admin.auth)
    .send({ events: ['session.*'], ...overrides })
    .expect(201);
  return res.body as CreatedWebhook;
}

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * A real HTTP receiver on 127.0.0.1: answers with the scripted statuses in turn (the last one
 * repeats; 0 never answers) and records every request with its raw body.
 */
export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function aReceiver(statuses: number[] = [200]): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses[Math.min(requests.length, statuses.length - 1)];
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      if (status !== 0) res.writeHead(status, { 'Content-Type': 'text/plain' }).end('ok');
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    waitFor: (count, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`receiver got ${requests.length} of ${count} requests`)),
          timeoutMs,
        );
        const check = () => {
          if (requests.length >= count) {
            clearTimeout(timer);
            resolve(requests);
          } else waiters.push(check);
        };
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls the delivery log until `done` holds for it. */
export async function deliveryLogUntil(
  t: TestApp,
  admin: TestAccount,
  webhookId: string,
  done: (items: Record<string, unknown>[]) => boolean,
  timeoutMs = 15_000,
): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http.get(`/api/v1/webhooks/${webhookId}/deliveries`).set(admin.auth).expect(200);
    const items = res.body.items as Record<string, unknown>[];
    if (done(items)) return items;
    if (Date.now() > deadline) throw new Error(`delivery log never settled: ${JSON.stringify(items)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
