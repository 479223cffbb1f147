import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvSchema, parseEnv } from './env.schema';

export type DatabaseSettings =
  | { kind: 'pglite'; dataDir: string /* a folder, or 'memory://' */ }
  | { kind: 'postgres'; url: string; poolSize: number };

export interface CommandSettings {
  timeoutMs: number;
  /** Without a trailing slash; undefined = derived from the listening address. */
  publicBaseUrl: string | undefined;
  diagnosticsMaxBytes: number;
  diagnosticsUploadTtlSeconds: number;
  reservationSweepSeconds: number;
}

/** The typed settings every module reads; built once at boot from the environment. */
export class AppConfig {
  readonly env!: EnvSchema['NODE_ENV'];
  readonly port!: number;
  readonly host!: string;
  readonly dataDir!: string;
  readonly database!: DatabaseSettings;
  readonly logLevel!: string;
  readonly rootUsername!: string;
  readonly rootPassword!: string | undefined;
  readonly jwtSecret!: string;
  readonly accessTokenTtlSeconds!: number;
  readonly refreshTokenTtlSeconds!: number;
  readonly corsOrigins!: string[] | '*' | false;
  readonly rateLimitPerMinute!: number;
  readonly loginRateLimitPerMinute!: number;
  readonly loginRateLimitPerIpPerMinute!: number;
  readonly apiTokenTtlSeconds!: number;
  readonly swaggerEnabled!: boolean;
  readonly natsUrl!: string | undefined;
  readonly commands!: CommandSettings;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}

/** Generated secrets live in the data directory so a restart keeps tokens valid. */
function persistentSecret(dataDir: string, name: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.json');
  const secrets: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  if (!secrets[name]) {
    secrets[name] = randomBytes(48).toString('base64url');
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return secrets[name];
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const e = parseEnv(env);
  const dataDir = resolve(e.DATA_DIR);
  const cors = e.CORS_ORIGINS.trim();
  return new AppConfig({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: e.PGLITE_DIR ?? join(dataDir, 'pglite') },
    logLevel: e.LOG_LEVEL,
    rootUsername: e.ROOT_USERNAME ?? 'root',
    rootPassword: e.ROOT_PASSWORD,
    jwtSecret: e.JWT_SECRET ?? persistentSecret(dataDir, 'jwtSecret'),
    accessTokenTtlSeconds: e.JWT_ACCESS_TTL_SECONDS,
    refreshTokenTtlSeconds: e.JWT_REFRESH_TTL_SECONDS,
    corsOrigins: cors === '' ? false : cors === '*' ? '*' : cors.split(',').map((o) => o.trim()),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerIpPerMinute: e.LOGIN_RATE_LIMIT_PER_IP_PER_MINUTE,
    apiTokenTtlSeconds: e.API_TOKEN_TTL_SECONDS,
    swaggerEnabled: e.SWAGGER_ENABLED,
    natsUrl: e.NATS_URL,
    commands: {
      timeoutMs: e.COMMAND_TIMEOUT_MS,
      publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
      diagnosticsMaxBytes: e.DIAGNOSTICS_MAX_BYTES,
      diagnosticsUploadTtlSeconds: e.DIAGNOSTICS_UPLOAD_TTL_SECONDS,
      reservationSweepSeconds: e.RESERVATION_SWEEP_SECONDS,
    },
  });
}
