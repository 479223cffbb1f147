import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, EnvSchema, parseEnv } from './env.schema';

export interface OcppSettings {
  heartbeatIntervalSeconds: number;
  callTimeoutMs: number;
  messageLogRetentionDays: number;
  flushIntervalMs: number;
  authFailureLimitPerMinute: number;
  /** ocpp-rpc strict mode: schema-check every frame in and out (default true). */
  strictValidation: boolean;
  maxFrameBytes: number;
  pingIntervalMs: number;
  handshakeTimeoutMs: number;
  autoRegistrationMaxPending: number;
}

/** Node's HTTP server timeouts: a silent or slow client cannot hold a socket open. */
export interface HttpTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/** PEM contents, read once at boot. `ca` enables client certificates (profile 3). */
export interface TlsSettings {
  cert: string;
  key: string;
  ca?: string;
}

/** The CSMS certificate authority: PEM given by the operator, else generated into `dataDir`. */
export interface CertificateAuthorityConfig {
  certPem?: string;
  keyPem?: string;
  dataDir: string;
  validityDays: number;
}

export type DatabaseSettings =
  | { kind: 'pglite'; dataDir: string /* a folder, or 'memory://' */ }
  | { kind: 'postgres'; url: string; poolSize: number };

export interface CommandSettings {
  /** Without a trailing slash; undefined = derived from the listening address. */
  publicBaseUrl: string | undefined;
  diagnosticsMaxBytes: number;
  diagnosticsUploadTtlSeconds: number;
  reservationSweepSeconds: number;
}

/** The typed settings every module reads; built once at boot from the environment. */
export interface WebhookSettings {
  allowPrivateTargets: boolean;
  pollIntervalMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  timeoutMs: number;
  logRetentionDays: number;
}

/** Integrator security: request signatures, AES envelopes, quotas, the security audit log. */
export interface IntegratorSettings {
  signatureWindowSeconds: number;
  apiKeyRateLimitPerMinute: number;
  userRateLimitPerMinute: number;
  /** Server key that encrypts per-key signing and encryption keys at rest. */
  keyEncryptionSecret: string;
  securityEventsRetentionDays: number;
}

export interface ClusterSettings {
  /** This node's id: NODE_ID, or random per process. */
  nodeId: string;
  /** First token of every NATS subject. */
  subjectPrefix: string;
  presenceHeartbeatMs: number;
  presenceTtlMs: number;
}

/** The zombie reconciler: flags (never closes) sessions open too long or on an Available connector. */
export interface SessionReconcilerSettings {
  staleAfterHours: number;
  availableGraceSeconds: number;
  intervalSeconds: number;
}

export interface LiveEventSettings {
  heartbeatMs: number;
  maxBufferedBytes: number;
  recheckIntervalMs: number;
  maxSocketsPerActor: number;
}

/** What a charger's clock and registers must look like to be billed as sent (sessions/charger-data-policy.ts). */
export interface ChargerDataSettings {
  clockSkewMs: number;
  maxSpanMs: number;
  maxPowerW: number;
}

export class AppConfig {
  readonly env!: EnvSchema['NODE_ENV'];
  readonly port!: number;
  readonly listenBacklog!: number;
  readonly httpTimeouts!: HttpTimeouts;
  readonly host!: string;
  readonly dataDir!: string;
  readonly database!: DatabaseSettings;
  readonly logLevel!: string;
  readonly logFormat!: 'pretty' | 'json';
  readonly rootUsername!: string;
  readonly rootPassword!: string | undefined;
  readonly jwtSecret!: string;
  /** Key of the HMAC that charger passwords are stored under (kept out of the database). */
  readonly chargerCredentialPepper!: string;
  readonly accessTokenTtlSeconds!: number;
  readonly refreshTokenTtlSeconds!: number;
  readonly corsOrigins!: string[] | '*' | false;
  readonly rateLimitPerMinute!: number;
  readonly loginRateLimitPerMinute!: number;
  readonly loginRateLimitPerIpPerMinute!: number;
  readonly apiTokenTtlSeconds!: number;
  readonly swaggerEnabled!: boolean;
  readonly natsUrl!: string | undefined;
  readonly cluster!: ClusterSettings;
  readonly trustProxy!: string;
  readonly chargerCommandTimeoutMs!: number;
  readonly sessionStartTimeoutSeconds!: number;
  readonly costUpdateIntervalSeconds!: number;
  readonly sessionReconciler!: SessionReconcilerSettings;
  readonly chargerData!: ChargerDataSettings;
  readonly webhooks!: WebhookSettings;
  readonly liveEvents!: LiveEventSettings;
  readonly commands!: CommandSettings;
  readonly ocpp!: OcppSettings;
  readonly tls!: TlsSettings | undefined;
  readonly certificateAuthority!: CertificateAuthorityConfig;
  readonly integrator!: IntegratorSettings;

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

function readPem(variable: string, file: string): string {
  try {
    return readFileSync(resolve(file), 'utf8');
  } catch (e) {
    throw new ConfigError(
      `Invalid configuration — ${variable}: cannot read ${file} (${(e as Error).message})`,
    );
  }
}

function loadTls(e: EnvSchema): TlsSettings | undefined {
  if (!e.TLS_CERT_FILE && !e.TLS_KEY_FILE) {
    if (e.TLS_CA_FILE)
      throw new ConfigError('Invalid configuration — TLS_CA_FILE: needs TLS_CERT_FILE and TLS_KEY_FILE');
    return undefined;
  }
  if (!e.TLS_CERT_FILE || !e.TLS_KEY_FILE)
    throw new ConfigError('Invalid configuration — TLS_CERT_FILE, TLS_KEY_FILE: set both or neither');
  return {
    cert: readPem('TLS_CERT_FILE', e.TLS_CERT_FILE),
    key: readPem('TLS_KEY_FILE', e.TLS_KEY_FILE),
    ...(e.TLS_CA_FILE ? { ca: readPem('TLS_CA_FILE', e.TLS_CA_FILE) } : {}),
  };
}

function loadCertificateAuthority(e: EnvSchema, dataDir: string): CertificateAuthorityConfig {
  if (!e.CA_CERT_FILE !== !e.CA_KEY_FILE)
    throw new ConfigError('Invalid configuration — CA_CERT_FILE, CA_KEY_FILE: set both or neither');
  return {
    ...(e.CA_CERT_FILE && e.CA_KEY_FILE
      ? { certPem: readPem('CA_CERT_FILE', e.CA_CERT_FILE), keyPem: readPem('CA_KEY_FILE', e.CA_KEY_FILE) }
      : {}),
    dataDir,
    validityDays: e.CA_CERT_VALIDITY_DAYS,
  };
}

function loadHttpTimeouts(e: EnvSchema): HttpTimeouts {
  // Node checks this at createServer only; the settings are applied to a server Nest created.
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS)
    throw new ConfigError(
      'Invalid configuration — HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS',
    );
  return {
    headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
  };
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const e = parseEnv(env);
  const dataDir = resolve(e.DATA_DIR);
  const cors = e.CORS_ORIGINS.trim();
  return new AppConfig({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    listenBacklog: e.LISTEN_BACKLOG,
    httpTimeouts: loadHttpTimeouts(e),
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: e.PGLITE_DIR ?? join(dataDir, 'pglite') },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'pretty'),
    rootUsername: e.ROOT_USERNAME ?? 'root',
    rootPassword: e.ROOT_PASSWORD,
    jwtSecret: e.JWT_SECRET ?? persistentSecret(dataDir, 'jwtSecret'),
    chargerCredentialPepper:
      e.CHARGER_CREDENTIAL_PEPPER ?? persistentSecret(dataDir, 'chargerCredentialPepper'),
    accessTokenTtlSeconds: e.JWT_ACCESS_TTL_SECONDS,
    refreshTokenTtlSeconds: e.JWT_REFRESH_TTL_SECONDS,
    corsOrigins: cors === '' ? false : cors === '*' ? '*' : cors.split(',').map((o) => o.trim()),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerIpPerMinute: e.LOGIN_RATE_LIMIT_PER_IP_PER_MINUTE,
    apiTokenTtlSeconds: e.API_TOKEN_TTL_SECONDS,
    swaggerEnabled: e.SWAGGER_ENABLED,
    natsUrl: e.NATS_URL,
    trustProxy: e.TRUST_PROXY,
    cluster: {
      nodeId: e.NODE_ID ?? `node-${randomBytes(4).toString('hex')}`,
      subjectPrefix: e.NATS_SUBJECT_PREFIX,
      presenceHeartbeatMs: e.PRESENCE_HEARTBEAT_MS,
      presenceTtlMs: Math.max(e.PRESENCE_TTL_MS, e.PRESENCE_HEARTBEAT_MS * 2),
    },
    chargerCommandTimeoutMs: e.CHARGER_COMMAND_TIMEOUT_MS,
    sessionStartTimeoutSeconds: e.SESSION_START_TIMEOUT_SECONDS,
    costUpdateIntervalSeconds: e.COST_UPDATE_INTERVAL_SECONDS,
    sessionReconciler: {
      staleAfterHours: e.SESSION_STALE_AFTER_HOURS,
      availableGraceSeconds: e.SESSION_AVAILABLE_GRACE_SECONDS,
      intervalSeconds: e.SESSION_RECONCILE_INTERVAL_SECONDS,
    },
    chargerData: {
      clockSkewMs: e.OCPP_CLOCK_SKEW_SECONDS * 1000,
      maxSpanMs: e.SESSION_MAX_SPAN_HOURS * 3_600_000,
      maxPowerW: e.SESSION_MAX_POWER_KW * 1000,
    },
    webhooks: {
      allowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      pollIntervalMs: e.WEBHOOK_POLL_INTERVAL_MS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: e.WEBHOOK_RETRY_MAX_MS,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      logRetentionDays: e.WEBHOOK_LOG_RETENTION_DAYS,
    },
    liveEvents: {
      heartbeatMs: e.EVENTS_HEARTBEAT_MS,
      maxBufferedBytes: e.EVENTS_MAX_BUFFERED_BYTES,
      recheckIntervalMs: e.EVENTS_RECHECK_INTERVAL_MS,
      maxSocketsPerActor: e.EVENTS_MAX_SOCKETS_PER_ACTOR,
    },
    commands: {
      publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
      diagnosticsMaxBytes: e.DIAGNOSTICS_MAX_BYTES,
      diagnosticsUploadTtlSeconds: e.DIAGNOSTICS_UPLOAD_TTL_SECONDS,
      reservationSweepSeconds: e.RESERVATION_SWEEP_SECONDS,
    },
    ocpp: {
      heartbeatIntervalSeconds: e.OCPP_HEARTBEAT_INTERVAL_SECONDS,
      callTimeoutMs: e.OCPP_CALL_TIMEOUT_MS,
      messageLogRetentionDays: e.OCPP_MESSAGE_LOG_RETENTION_DAYS,
      flushIntervalMs: e.OCPP_FLUSH_INTERVAL_MS,
      authFailureLimitPerMinute: e.OCPP_AUTH_FAILURE_LIMIT_PER_MINUTE,
      strictValidation: e.OCPP_STRICT_VALIDATION,
      maxFrameBytes: e.OCPP_MAX_FRAME_BYTES,
      pingIntervalMs: e.OCPP_PING_INTERVAL_MS,
      handshakeTimeoutMs: e.OCPP_HANDSHAKE_TIMEOUT_MS,
      autoRegistrationMaxPending: e.OCPP_AUTO_REGISTRATION_MAX_PENDING,
    },
    tls: loadTls(e),
    certificateAuthority: loadCertificateAuthority(e, dataDir),
    integrator: {
      signatureWindowSeconds: e.SIGNATURE_WINDOW_SECONDS,
      apiKeyRateLimitPerMinute: e.API_KEY_RATE_LIMIT_PER_MINUTE,
      userRateLimitPerMinute: e.USER_RATE_LIMIT_PER_MINUTE,
      keyEncryptionSecret: e.KEY_ENCRYPTION_SECRET ?? persistentSecret(dataDir, 'keyEncryptionSecret'),
      securityEventsRetentionDays: e.SECURITY_EVENTS_RETENTION_DAYS,
    },
  });
}
