import 'reflect-metadata';
import { createApp } from './bootstrap';
import { ConfigError } from './config/env.schema';
import { loadConfig } from './config/app-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const app = await createApp(config);
  // Nest passes its arguments on to http.Server#listen(port, host, backlog); its typings stop at host.
  const listen = app.listen.bind(app) as unknown as (
    port: number,
    host: string,
    backlog: number,
  ) => Promise<unknown>;
  await listen(config.port, config.host, config.listenBacklog);
  const base = `${config.tls ? 'https' : 'http'}://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const db =
    config.database.kind === 'pglite' ? `embedded PGlite at ${config.database.dataDir}` : 'PostgreSQL';
  process.stdout.write(
    `Kilowatt is up on ${db}\n  API      ${base}/api/v1\n  Swagger  ${base}/docs\n  Chargers ${base.replace('http', 'ws')}/ocpp/{chargePointId}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`Kilowatt failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
