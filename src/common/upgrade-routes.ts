import { WsAdapter } from '@nestjs/platform-ws';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

interface Route {
  path: string;
  /** Also serves `path/...` (the OCPP endpoint's `/ocpp/{chargePointId}`). */
  subpaths: boolean;
  handler: UpgradeHandler;
}

/**
 * The HTTP server's one 'upgrade' listener. WebSocket upgrades are routed by path to the `ws`
 * servers (created with `noServer`) that serve them: `/ocpp` and `/ocpp/...` to the OCPP
 * gateway, `/events` to Nest's gateway through {@link RoutedWsAdapter}. Any other path is
 * answered 404 and closed, and no server ever sees another's upgrade.
 */
export class UpgradeRoutes {
  private static readonly byServer = new WeakMap<Server, UpgradeRoutes>();
  private readonly routes: Route[] = [];

  private constructor() {}

  /** The routes of this HTTP server, installing its listener the first time. */
  static of(server: Server): UpgradeRoutes {
    let routes = UpgradeRoutes.byServer.get(server);
    if (!routes) {
      routes = new UpgradeRoutes();
      UpgradeRoutes.byServer.set(server, routes);
      server.on('upgrade', routes.dispatch);
    }
    return routes;
  }

  /** Serves `path` (and with `subpaths`, everything under it); answers a function that removes the route. */
  add(path: string, handler: UpgradeHandler, opts: { subpaths?: boolean } = {}): () => void {
    if (this.routes.some((r) => r.path === path))
      throw new Error(`An upgrade route for ${path} exists already`);
    const route = { path, subpaths: opts.subpaths ?? false, handler };
    this.routes.push(route);
    return () => {
      const at = this.routes.indexOf(route);
      if (at >= 0) this.routes.splice(at, 1);
    };
  }

  private readonly dispatch = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (req.url ?? '/').split('?')[0];
    const route = this.routes.find((r) => path === r.path || (r.subpaths && path.startsWith(`${r.path}/`)));
    if (!route) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    try {
      route.handler(req, socket, head);
    } catch {
      socket.destroy();
    }
  };
}

/**
 * Nest's WsAdapter, its `noServer` gateways routed through {@link UpgradeRoutes} of the
 * application's HTTP server instead of a listener of its own (which would destroy every upgrade
 * for a path it does not know, the OCPP endpoint's included). Gateways on another port keep the
 * adapter's own server.
 */
export class RoutedWsAdapter extends WsAdapter {
  protected override ensureHttpServerExists(port: number, httpServer?: Server): Server | undefined {
    if (port !== 0 || !httpServer) return super.ensureHttpServerExists(port, httpServer);
    this.httpServersRegistry.set(port, httpServer);
    return httpServer;
  }

  protected override addWsServerToRegistry<T extends Record<'path', string>>(
    wsServer: T,
    port: number,
    path: string,
  ): void {
    super.addWsServerToRegistry(wsServer, port, path);
    const httpServer = this.httpServersRegistry.get(port) as Server | undefined;
    if (port !== 0 || !httpServer) return;
    const ws = wsServer as unknown as WebSocketServer & { path: string };
    UpgradeRoutes.of(httpServer).add(ws.path, (req, socket, head) =>
      ws.handleUpgrade(req, socket, head, (client) => ws.emit('connection', client, req)),
    );
  }
}
