// The baseline: a bare OCPP-J server (1.6 and 2.0.1, 2.0.1 preferred, as Kilowatt) made with the
// same RPC library as Kilowatt (ocpp-rpc, strict mode), trivial handlers, no storage. Started by
// the benchmarks as a child process.
import { createServer } from 'node:http';
import { RPCServer } from 'ocpp-rpc';
import type RpcServerClient from 'ocpp-rpc/lib/server-client';
import { installMemoryProbe } from './lib/memory-probe';

const port = Number(process.env.PORT ?? 0);
let tx = 0;
const rpc = new RPCServer({ protocols: ['ocpp2.0.1', 'ocpp1.6'], strictMode: true, pingIntervalMs: 30_000 });
rpc.on('client', (client: RpcServerClient) => {
  client.handle('BootNotification', async () => ({
    status: 'Accepted',
    currentTime: new Date().toISOString(),
    interval: 300,
  }));
  client.handle('Heartbeat', async () => ({ currentTime: new Date().toISOString() }));
  client.handle('StatusNotification', async () => ({}));
  client.handle('MeterValues', async () => ({}));
  client.handle('StartTransaction', async () => ({ transactionId: ++tx, idTagInfo: { status: 'Accepted' } }));
  client.handle('StopTransaction', async () => ({ idTagInfo: { status: 'Accepted' } }));
  // OCPP 2.0.1: a transaction's events; Started and Ended carry an idToken's status.
  client.handle('TransactionEvent', async ({ params }) =>
    (params as { idToken?: unknown }).idToken ? { idTokenInfo: { status: 'Accepted' } } : {},
  );
});
const http = createServer((_req, res) => res.writeHead(404).end());
http.on('upgrade', rpc.handleUpgrade);
installMemoryProbe();
// The same accept queue as Kilowatt (LISTEN_BACKLOG's default): Node's 511 drops SYNs in a
// 10 000-charger burst, and the retransmits would measure the kernel, not the server.
http.listen(port, '127.0.0.1', 4096, () => {
  const addr = http.address();
  process.stdout.write(
    `bare OCPP server listening on ${typeof addr === 'object' && addr ? addr.port : port}\n`,
  );
});
