import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { createApp } from '../src/bootstrap';
import { UndeclaredErrors } from '../src/common/api-errors';
import { Clock } from '../src/common/clock';
import { AppConfig, loadConfig } from '../src/config/app-config';

/**
 * The application's clock in a test: the system time plus an offset the test moves forward, so a
 * test waits for time to pass (an expiry, an uptime) without sleeping. Only forward: time the
 * application has already written never lies ahead of its clock.
 */
export class TestClock extends Clock {
  private offsetMs = 0;

  override nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('a TestClock only moves forward');
    this.offsetMs += ms;
  }
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** The time the application decides by (API key expiry, presence intervals): `advance` it. */
  clock: TestClock;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  http: TestAgent;
  rootPassword: string;
  close(): Promise<void>;
}

export const ROOT_PASSWORD = 'root-password-for-tests';

/** A fresh database for one app: in-memory PGlite, or a new database on TEST_DATABASE_URL. */
export async function freshDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) return { env: { PGLITE_DIR: 'memory://' }, drop: async () => undefined };
  const name = `kw_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const c = new Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * Boots the real application on a fresh database and a free port. `env` overrides settings;
 * `dataDir` reuses a data directory (restart tests); `databaseUrl` shares a PostgreSQL database
 * another app already uses (cluster tests), which the caller then drops.
 */
export async function startApp(
  env: Record<string, string> = {},
  opts: { dataDir?: string; databaseUrl?: string } = {},
): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kilowatt-test-'));
  const db = opts.databaseUrl
    ? { env: { DATABASE_URL: opts.databaseUrl }, drop: async () => undefined }
    : opts.dataDir
      ? { env: {}, drop: async () => undefined }
      : await freshDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ROOT_USERNAME: 'root',
    ROOT_PASSWORD,
    RATE_LIMIT_PER_MINUTE: '100000',
    PORT: '0',
    HOST: '127.0.0.1',
    ...db.env,
    ...env,
  });
  const clock = new TestClock();
  const app = await createApp(config, { clock });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    config,
    clock,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    // A TLS test app serves a certificate made in the test; the agent talks to it on loopback only.
    http: config.tls ? request.agent(app.getHttpServer()).disableTLSCerts() : request(app.getHttpServer()),
    rootPassword: ROOT_PASSWORD,
    close: async () => {
      // A route answered an error code it does not declare with @ApiErrors: the docs are wrong.
      const undeclared = app.get(UndeclaredErrors).list();
      await app.close();
      await db.drop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (undeclared.length)
        throw new Error(`Error codes answered but not declared:\n${undeclared.join('\n')}`);
    },
  };
}
