import { Transform, plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** Every environment variable Kilowatt reads. Nothing else in the code reads process.env. */
export class EnvSchema {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /**
   * Connections the kernel queues before the server accepts them (capped by
   * net.core.somaxconn). Node's 511 overflows when thousands of chargers reconnect at once.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  LISTEN_BACKLOG = 4096;

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  /** `memory://` keeps the embedded database in memory (tests); default `<DATA_DIR>/pglite`. */
  @IsOptional()
  @IsString()
  PGLITE_DIR?: string;

  @IsOptional()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE = 10;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `pretty`: one readable line per event; `json`: pino's JSON lines. Default: json in production. */
  @IsOptional()
  @IsIn(['pretty', 'json'])
  LOG_FORMAT?: 'pretty' | 'json';

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_.-]{3,64}$/i, { message: 'ROOT_USERNAME must be 3-64 of a-z 0-9 _ . -' })
  ROOT_USERNAME?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ROOT_PASSWORD must be at least 12 characters' })
  @MaxLength(256)
  ROOT_PASSWORD?: string;

  /** HS256 signing key; generated into DATA_DIR on first start when unset. Set it for several nodes. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /**
   * Server key of the keyed hash (HMAC-SHA256) charger passwords are stored under; generated into
   * DATA_DIR when unset. Set the same value on every node. Changing it invalidates those passwords.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'CHARGER_CREDENTIAL_PEPPER must be at least 32 characters' })
  CHARGER_CREDENTIAL_PEPPER?: string;

  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(86400)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(31536000)
  JWT_REFRESH_TTL_SECONDS = 2592000;

  /** Comma-separated origins, or `*`. Empty disables CORS. */
  @IsString()
  CORS_ORIGINS = '*';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000000)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Login and token attempts per account (username or API key) from one client address per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000000)
  LOGIN_RATE_LIMIT_PER_MINUTE = 10;

  /** Login, refresh and token attempts per client address per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000000)
  LOGIN_RATE_LIMIT_PER_IP_PER_MINUTE = 30;

  /** Lifetime of a token exchanged for an API key at POST /api/v1/auth/token. */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(86400)
  API_TOKEN_TTL_SECONDS = 300;

  /** Accepted clock difference of a signed request's X-Timestamp, either way. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3600)
  SIGNATURE_WINDOW_SECONDS = 300;

  /** Requests per API key per minute, unless the key sets its own rateLimitPerMinute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000000)
  API_KEY_RATE_LIMIT_PER_MINUTE = 600;

  /** Requests per logged-in account per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000000)
  USER_RATE_LIMIT_PER_MINUTE = 600;

  /** Encrypts API keys' signing and encryption keys at rest; generated into DATA_DIR when unset. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'KEY_ENCRYPTION_SECRET must be at least 32 characters' })
  KEY_ENCRYPTION_SECRET?: string;

  /** Days the security audit log (logins, key changes, signature failures) is kept. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  SECURITY_EVENTS_RETENTION_DAYS = 365;

  @Transform(toBool)
  @IsBoolean()
  SWAGGER_ENABLED = true;

  @IsOptional()
  @IsUrl({ protocols: ['nats'], require_tld: false, require_protocol: true })
  NATS_URL?: string;

  /**
   * Which proxies' X-Forwarded-For to believe (Express `trust proxy`): `loopback` for a local
   * proxy; `uniquelocal` behind a balancer on a private network (the compose stack).
   */
  @Matches(/^[A-Za-z0-9.:/, ]{1,200}$/)
  TRUST_PROXY = 'loopback';

  /** First token of every NATS subject: deployments sharing one broker stay apart. */
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  NATS_SUBJECT_PREFIX = 'kilowatt';

  /** This node's name in a cluster (presence, logs); random per process when unset. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  NODE_ID?: string;

  /** How often a node refreshes the presence of the chargers it holds. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  PRESENCE_HEARTBEAT_MS = 5000;

  /** A presence entry not refreshed for this long belongs to a dead node and expires. */
  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(600000)
  PRESENCE_TTL_MS = 15000;

  /** How long a remote start/stop waits for the charger's reply before answering 504. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120000)
  CHARGER_COMMAND_TIMEOUT_MS = 10000;

  /** A pending session whose charger never sends StartTransaction in this time becomes failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  SESSION_START_TIMEOUT_SECONDS = 120;

  /** The zombie reconciler flags an active session the central system has known this long. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8760)
  SESSION_STALE_AFTER_HOURS = 24;

  /** ... and one whose connector has reported Available for this long while it is active. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  SESSION_AVAILABLE_GRACE_SECONDS = 600;

  /** How often the zombie reconciler looks for those sessions. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  SESSION_RECONCILE_INTERVAL_SECONDS = 300;

  /** How often an OCPP 2.0.1 station is told the running cost of its sessions (CostUpdated); 0: never. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  COST_UPDATE_INTERVAL_SECONDS = 60;

  /**
   * A charger timestamp more than this after the moment it arrives, or this long before its
   * station was registered, is not believed: the session is billed on the CSMS's clock and flagged.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  OCPP_CLOCK_SKEW_SECONDS = 300;

  /**
   * The longest session billed: time, idle and time-of-use stop counting this long after the
   * start (flagged). At most 366 days, the longest span the pricing function takes.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8784)
  SESSION_MAX_SPAN_HOURS = 168;

  /**
   * The most power a charger delivers: a session's energy beyond this over its billed span (plus
   * an hour) is a corrupt register, billed 0 Wh and flagged.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  SESSION_MAX_POWER_KW = 4000;

  /** The interval BootNotification.conf gives chargers for their Heartbeat. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(86400)
  OCPP_HEARTBEAT_INTERVAL_SECONDS = 300;

  /** The base URL chargers reach this server at (diagnostics upload URLs); default http://HOST:PORT. */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  PUBLIC_BASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(2147483647)
  DIAGNOSTICS_MAX_BYTES = 52428800;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(604800)
  DIAGNOSTICS_UPLOAD_TTL_SECONDS = 3600;

  /** How often expired reservations are marked expired. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  RESERVATION_SWEEP_SECONDS = 30;

  /** How long an outbound OCPP call waits for the charger's answer. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  OCPP_CALL_TIMEOUT_MS = 10000;

  /** Days of OCPP message log kept per station (diagnostics). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  OCPP_MESSAGE_LOG_RETENTION_DAYS = 7;

  /**
   * How often coalesced lastSeenAt values are written, and the message log's frames short of a
   * whole chunk (a full chunk is written at once).
   */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(600000)
  OCPP_FLUSH_INTERVAL_MS = 5000;

  /**
   * Failed charger handshakes (unknown id, wrong password) allowed a minute per client address and
   * presented station id together, so no one's failures brake another charger.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000000)
  OCPP_AUTH_FAILURE_LIMIT_PER_MINUTE = 20;

  /** Validate every OCPP frame against the 1.6 JSON schemas (ocpp-rpc strict mode). Off only to measure its cost. */
  @Transform(toBool)
  @IsBoolean()
  OCPP_STRICT_VALIDATION = true;

  /**
   * Largest OCPP-J frame a charger may send. The WebSocket server reads the length from the frame
   * header and closes with 1009 (message too big) before buffering the payload. 1 MiB is about
   * five times the largest legitimate 1.6 frame seen (a GetConfiguration.conf or a StopTransaction
   * with a day of transactionData is a few hundred KiB at most); ws's own default is 100 MiB.
   */
  @Transform(toInt)
  @IsInt()
  @Min(4096)
  @Max(104857600)
  OCPP_MAX_FRAME_BYTES = 1048576;

  /**
   * How often the gateway pings every charger (the server side of OCPP's WebSocketPingInterval);
   * a charger that has not answered the previous ping by the next one is dropped and marked offline.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3600000)
  OCPP_PING_INTERVAL_MS = 30000;

  /** A charger's upgrade request not admitted or refused within this time is answered 503. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120000)
  OCPP_HANDSHAKE_TIMEOUT_MS = 15000;

  /**
   * Auto-registered stations a tenant may hold waiting for an operator (registration `pending`);
   * an unknown charger beyond that is refused until an operator accepts, rejects or deletes some.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  OCPP_AUTO_REGISTRATION_MAX_PENDING = 50;

  /** An HTTP client (or charger before its upgrade) must send its whole request head within this time. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  HTTP_HEADERS_TIMEOUT_MS = 20000;

  /** The whole request, body included: long enough for a 50 MB diagnostics upload over a slow link. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3600000)
  HTTP_REQUEST_TIMEOUT_MS = 300000;

  /** An idle keep-alive connection is closed after this; set it above a load balancer's idle timeout. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 5000;

  /** PEM certificate chain and key: the HTTP server then serves https and wss (profile 2). */
  @IsOptional()
  @IsString()
  TLS_CERT_FILE?: string;

  @IsOptional()
  @IsString()
  TLS_KEY_FILE?: string;

  /** PEM CA that signs charger client certificates (security profile 3, mutual TLS). */
  @IsOptional()
  @IsString()
  TLS_CA_FILE?: string;

  /**
   * PEM certificate and key of the CSMS certificate authority that signs charging stations'
   * certificates (OCPP 2.0.1 SignCertificate) and is trusted for client certificates (profile 3).
   * Unset: a CA generated into DATA_DIR on the first start. Set both, the same on every node.
   */
  @IsOptional()
  @IsString()
  CA_CERT_FILE?: string;

  @IsOptional()
  @IsString()
  CA_KEY_FILE?: string;

  /** Validity of a station certificate the CA signs, in days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  CA_CERT_VALIDITY_DAYS = 365;
  /** Lets webhooks target loopback and private networks (development, tests, on-premise receivers). */
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_TARGETS = false;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60000)
  WEBHOOK_POLL_INTERVAL_MS = 500;

  /** First retry delay; each further retry waits three times longer, up to WEBHOOK_RETRY_MAX_MS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400000)
  WEBHOOK_RETRY_BASE_MS = 10000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(604800000)
  WEBHOOK_RETRY_MAX_MS = 3600000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_MAX_ATTEMPTS = 10;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  WEBHOOK_TIMEOUT_MS = 10000;

  /** Delivered and failed webhook deliveries older than this leave the delivery log. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  WEBHOOK_LOG_RETENTION_DAYS = 30;

  /** Interval of the live `/events` socket's ping; a client that missed one pong is dropped. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  EVENTS_HEARTBEAT_MS = 30000;

  /** A live `/events` subscriber whose unsent data exceeds this is disconnected. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(268435456)
  EVENTS_MAX_BUFFERED_BYTES = 1048576;

  /**
   * How often every live `/events` socket's credentials are checked again: a revoked key, a
   * disabled or demoted account, a changed password or an expired token closes it (4401). On the
   * node where the change was made the socket closes at once; this bounds the delay on the others.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  EVENTS_RECHECK_INTERVAL_MS = 5000;

  /** Live `/events` sockets one account or API key may hold open on one node; more close with 4429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  EVENTS_MAX_SOCKETS_PER_ACTOR = 10;
}

export class ConfigError extends Error {}

/** Validates the environment; a bad value throws one line naming every offending variable. */
export function parseEnv(env: Record<string, string | undefined>): EnvSchema {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = plainToInstance(EnvSchema, present, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const parts = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration — ${parts.join(' | ')}`);
  }
  return parsed;
}
