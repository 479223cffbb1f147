import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Routes the HTTP server's WebSocket upgrades by path: `/ocpp` and `/ocpp/...` go to the OCPP
 * gateway alone; every other path goes to the 'upgrade' listeners others installed (Nest's
 * WsAdapter for `/events`, a plain `ws` server...), whenever they were added or removed. Those
 * listeners never see a charger's upgrade — Nest's adapter would destroy it, a `ws` server with
 * another path would answer 400.
 */
export class UpgradeRouter {
  private originalEmit?: Server['emit'];

  constructor(
    private readonly server: Server,
    private readonly prefix: string,
    private readonly handler: UpgradeListener,
  ) {}

  install(): void {
    if (this.originalEmit) return;
    const server = this.server;
    const originalEmit = server.emit;
    this.originalEmit = originalEmit;
    // Node treats an upgrade request as plain HTTP when nobody listens for 'upgrade'; this
    // listener keeps the event alive and closes paths that no one else serves.
    server.on('upgrade', this.fallback);
    const owns = (req: IncomingMessage) => this.owns(req);
    const handler = this.handler;
    server.emit = function emit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'upgrade') {
        const [req, socket, head] = args as [IncomingMessage, Duplex, Buffer];
        if (owns(req)) {
          handler(req, socket, head);
          return true;
        }
      }
      return Reflect.apply(originalEmit, this, [event, ...args]) as boolean;
    } as Server['emit'];
  }

  uninstall(): void {
    if (!this.originalEmit) return;
    this.server.emit = this.originalEmit;
    this.server.removeListener('upgrade', this.fallback);
    this.originalEmit = undefined;
  }

  private owns(req: IncomingMessage): boolean {
    const path = (req.url ?? '/').split('?')[0];
    return path === this.prefix || path.startsWith(`${this.prefix}/`);
  }

  private readonly fallback: UpgradeListener = (_req, socket) => {
    if (this.server.listenerCount('upgrade') > 1) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  };
}
