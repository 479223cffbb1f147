// The baseline: a bare OCPP-J 1.6 server made with the same RPC library as Kilowatt (ocpp-rpc,
// strict mode), trivial handlers, no storage. Started by the benchmarks as a child process.
import { createServer } from 'node:http';
import { RPCServer } from 'ocpp-rpc';
import type RpcServerClient from 'ocpp-rpc/lib/server-client';
import { installMemoryProbe } from './lib/memory-probe';

const port = Number(process.env.PORT ?? 0);
let tx = 0;
const rpc = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true, pingIntervalMs: 30_000 });
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
