import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ChargerSimulator } from './charger-simulator';
import { ChargingStation201 } from './v201/charging-station';
import { type ApiCredentials, apiUrlFor, registerStations } from './registration';

export const USAGE = `Simulate OCPP 1.6J or 2.0.1 charging stations against a central system.

Usage: npm run simulate -- [options]

  --url <ws-url>        OCPP endpoint; the station id is appended   (default ws://localhost:3000/ocpp)
  --protocol <p>        ocpp1.6 or ocpp2.0.1                          (default ocpp1.6)
  --stations <n>        number of charge points                       (default 1)
  --connectors <n>      connectors (2.0.1: EVSEs) per station         (default 2)
  --prefix <text>       station id prefix: CP -> CP001, CP002, ...    (default CP)
  --start-index <n>     number of the first station                   (default 1)
  --password <secret>   HTTP Basic auth password (security profile 1)
  --interval <ms>       MeterValues (2.0.1: TransactionEvent Updated)
                        interval while charging                       (default 2000)
  --power <W>           charging power per connector                  (default 11000)
  --register            register the stations first (POST /api/v1/stations; one
                        already registered is left as it is), as the operator:
    --api-key <key>       an admin API key (or KILOWATT_API_KEY), or
    --login <username>    log in as root or an admin, with the password read from
    --login-password-file <path>   this file (or KILOWATT_PASSWORD);
                          after a first start: --login root
                          --login-password-file data/root-password.txt
    --api <http-url>      the REST API          (default: --url's host, /api/v1)
  -h, --help            show this help

Heartbeats follow the interval the central system returns in its BootNotification answer.
Remote start/stop, reset, configuration and the other commands are answered like real firmware.
Stop with Ctrl+C.`;

export const PROTOCOLS = ['ocpp1.6', 'ocpp2.0.1'] as const;

export interface CliOptions {
  url: string;
  protocol: (typeof PROTOCOLS)[number];
  stations: number;
  connectors: number;
  prefix: string;
  startIndex: number;
  password?: string;
  intervalMs: number;
  powerW: number;
  /** Register the stations over REST before connecting. */
  register?: { apiUrl: string; credentials: ApiCredentials };
}

export class CliUsageError extends Error {}

/** `env`: KILOWATT_API_KEY, KILOWATT_PASSWORD; `readFile`: for --login-password-file. */
export function parseCliArgs(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): CliOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: 'string', default: 'ws://localhost:3000/ocpp' },
      protocol: { type: 'string', default: 'ocpp1.6' },
      stations: { type: 'string', default: '1' },
      connectors: { type: 'string', default: '2' },
      prefix: { type: 'string', default: 'CP' },
      'start-index': { type: 'string', default: '1' },
      password: { type: 'string' },
      interval: { type: 'string', default: '2000' },
      power: { type: 'string', default: '11000' },
      register: { type: 'boolean', default: false },
      api: { type: 'string' },
      'api-key': { type: 'string' },
      login: { type: 'string' },
      'login-password-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  if (!/^wss?:\/\//.test(values.url)) throw new CliUsageError(`--url must start with ws:// or wss://`);
  const protocol = PROTOCOLS.find((p) => p === values.protocol);
  if (!protocol) throw new CliUsageError(`--protocol must be one of ${PROTOCOLS.join(', ')}`);
  return {
    url: values.url,
    protocol,
    stations: positiveInteger('--stations', values.stations, 1),
    connectors: positiveInteger('--connectors', values.connectors, 1),
    prefix: values.prefix,
    startIndex: positiveInteger('--start-index', values['start-index'], 0),
    password: values.password,
    intervalMs: positiveInteger('--interval', values.interval, 0),
    powerW: positiveInteger('--power', values.power, 1),
    ...(values.register && {
      register: {
        apiUrl: values.api ?? apiUrlFor(values.url),
        credentials: credentialsOf(values, env, readFile),
      },
    }),
  };
}

function credentialsOf(
  values: { 'api-key'?: string; login?: string; 'login-password-file'?: string },
  env: Record<string, string | undefined>,
  readFile: (path: string) => string,
): ApiCredentials {
  const apiKey = values['api-key'] ?? env.KILOWATT_API_KEY;
  if (apiKey) return { apiKey };
  if (!values.login)
    throw new CliUsageError('--register needs --api-key <key> (or KILOWATT_API_KEY) or --login <username>');
  const file = values['login-password-file'];
  let password = env.KILOWATT_PASSWORD;
  if (file) {
    try {
      password = readFile(file).trim();
    } catch (err) {
      throw new CliUsageError(`--login-password-file ${file}: ${(err as Error).message}`);
    }
  }
  if (!password)
    throw new CliUsageError(
      `--login ${values.login} needs --login-password-file <path> or KILOWATT_PASSWORD`,
    );
  return { username: values.login, password };
}

function positiveInteger(flag: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new CliUsageError(`${flag} must be an integer >= ${min}`);
  return value;
}

export function stationIds({ prefix, startIndex, stations }: CliOptions): string[] {
  return Array.from({ length: stations }, (_, i) => `${prefix}${String(startIndex + i).padStart(3, '0')}`);
}

function log(id: string, text: string): void {
  console.log(`${new Date().toISOString()} ${id.padEnd(8)} ${text}`);
}

function brief(value: unknown): string {
  const json = JSON.stringify(value) ?? '';
  return json.length > 160 ? `${json.slice(0, 157)}...` : json;
}

type Station = ChargerSimulator | ChargingStation201;

function attachLog(sim: Station): void {
  const id = sim.chargePointId;
  sim.on('open', () => log(id, 'connected'));
  sim.on('close', ({ code, reason }) => log(id, `disconnected (${code}${reason ? ` ${reason}` : ''})`));
  sim.on('received', ({ action, params }) => log(id, `<- ${action} ${brief(params)}`));
  sim.on('sent', ({ action, params, reply, error }) =>
    log(id, `-> ${action} ${brief(params)} ${error ? `FAILED ${String(error)}` : `=> ${brief(reply)}`}`),
  );
  sim.on('taskFailed', ({ task, error }) => log(id, `!! ${task}: ${String(error)}`));
}

// A Pending or Rejected registration is retried after the interval the central system asked for.
async function bootUntilAccepted(sim: Station): Promise<void> {
  for (;;) {
    const reply = await sim.boot();
    if (reply.status === 'Accepted') return;
    const retrySeconds = Math.max(reply.interval, 10);
    log(sim.chargePointId, `registration ${reply.status}, retrying in ${retrySeconds}s`);
    await sim.sleep(retrySeconds * 1000);
  }
}

async function runStation(sim: Station): Promise<void> {
  await sim.connect();
  await bootUntilAccepted(sim);
  await sim.announceStatuses();
  sim.startHeartbeats();
}

// Resolves with an exit code, or with undefined while the stations keep running.
async function main(argv: string[]): Promise<number | undefined> {
  let options: CliOptions | 'help';
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const { url, protocol, connectors, password, intervalMs, powerW, register } = options;
  if (register) {
    try {
      const outcome = await registerStations(
        register.apiUrl,
        register.credentials,
        stationIds(options).map((chargePointId) => ({ chargePointId, password })),
      );
      for (const [id, what] of outcome) log(id, what);
    } catch (error) {
      log('sim', `registration failed: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  }
  const simulators: Station[] = stationIds(options).map((chargePointId) =>
    protocol === 'ocpp2.0.1'
      ? new ChargingStation201({
          url,
          chargePointId,
          evses: connectors,
          password,
          meterIntervalMs: intervalMs,
          powerW,
          reconnect: true,
        })
      : new ChargerSimulator({
          url,
          chargePointId,
          connectors,
          password,
          meterIntervalMs: intervalMs,
          powerW,
          reconnect: true,
        }),
  );
  simulators.forEach(attachLog);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) process.exit(130);
    stopping = true;
    log('sim', `stopping ${simulators.length} station(s)`);
    await Promise.allSettled(simulators.map((sim) => sim.close({ code: 1001, reason: 'Simulator stopped' })));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  const results = await Promise.allSettled(simulators.map(runStation));
  results.forEach((result, i) => {
    if (result.status === 'rejected')
      log(simulators[i].chargePointId, `failed to start: ${String(result.reason)}`);
  });
  // The handshake of a station nobody registered is refused with 404.
  if (!register && results.some((r) => r.status === 'rejected' && /Not Found|404/.test(String(r.reason))))
    log(
      'sim',
      'a station the central system does not know is refused (404): register it first ' +
        '(POST /api/v1/stations as an admin), or run again with --register --login root ' +
        '--login-password-file data/root-password.txt',
    );
  const running = results.filter((r) => r.status === 'fulfilled').length;
  log('sim', `${running}/${simulators.length} station(s) online at ${url}; Ctrl+C to stop`);
  return running === 0 && !stopping ? 1 : undefined;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    if (code !== undefined) process.exit(code);
  });
}
