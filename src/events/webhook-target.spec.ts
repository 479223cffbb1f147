import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { publicOnlyLookup } from './webhook-target';

describe('publicOnlyLookup (the address check when a delivery connects)', () => {
  it.each([[{}], [{ all: true as const }]])('refuses a name that resolves to loopback (%p)', (options) => {
    return new Promise<void>((done) => {
      publicOnlyLookup('localhost', options, (err) => {
        expect(err).toMatchObject({ code: 'WEBHOOK_TARGET_NOT_ALLOWED' });
        done();
      });
    });
  });

  it('keeps a request from reaching a loopback server through a name', async () => {
    let reached = false;
    const server = createServer((_, res) => {
      reached = true;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const outcome = await new Promise<unknown>((resolve) => {
        const req = request(
          `http://localhost:${port}/`,
          { method: 'POST', lookup: publicOnlyLookup },
          (res) => resolve(res.statusCode),
        );
        req.on('error', resolve);
        req.end('{}');
      });
      expect(outcome).toMatchObject({ code: 'WEBHOOK_TARGET_NOT_ALLOWED' });
      expect(reached).toBe(false);
    } finally {
      server.close();
    }
  });
});
