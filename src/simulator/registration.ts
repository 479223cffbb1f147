/**
 * Registers the simulated stations with Kilowatt's REST API before they connect, as an operator
 * would (`POST /api/v1/stations`): with an admin API key, or by logging in (root or an admin).
 * A station already registered is left as it is.
 */

export type ApiCredentials = { apiKey: string } | { username: string; password: string };

export interface StationToRegister {
  chargePointId: string;
  /** Registers the station with security profile 1 and this password. */
  password?: string;
}

export class RegistrationError extends Error {}

/** `ws://host:3000/ocpp` → `http://host:3000/api/v1` (wss → https). */
export function apiUrlFor(ocppUrl: string): string {
  const url = new URL(ocppUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = '/api/v1';
  url.search = '';
  return url.toString().replace(/\/$/, '');
}

interface ErrorBody {
  code?: string;
  message?: string | string[];
}

async function send(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown },
): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method,
      headers: { 'content-type': 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (err) {
    throw new RegistrationError(`cannot reach ${url}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: kept as text for the error message.
  }
  return { status: res.status, body };
}

const describeError = (status: number, body: unknown): string => {
  const { code, message } = (body ?? {}) as ErrorBody;
  return `${status}${code ? ` ${code}` : ''}${message ? `: ${[message].flat().join('; ')}` : ''}`;
};

/** The headers that authenticate as the given operator. */
export async function authHeaders(
  apiUrl: string,
  credentials: ApiCredentials,
): Promise<Record<string, string>> {
  if ('apiKey' in credentials) return { 'X-API-Key': credentials.apiKey };
  const { status, body } = await send(`${apiUrl}/auth/login`, {
    method: 'POST',
    headers: {},
    body: { username: credentials.username, password: credentials.password },
  });
  const token = (body as { accessToken?: unknown } | undefined)?.accessToken;
  if (status !== 200 || typeof token !== 'string')
    throw new RegistrationError(`login as ${credentials.username} failed: ${describeError(status, body)}`);
  return { Authorization: `Bearer ${token}` };
}

/**
 * Registers each station that is not registered yet; resolves with what happened to each
 * (`registered` or `already registered`). Refused credentials or any other refusal reject.
 */
export async function registerStations(
  apiUrl: string,
  credentials: ApiCredentials,
  stations: StationToRegister[],
): Promise<Map<string, 'registered' | 'already registered'>> {
  const headers = await authHeaders(apiUrl, credentials);
  const outcome = new Map<string, 'registered' | 'already registered'>();
  for (const station of stations) {
    const { status, body } = await send(`${apiUrl}/stations`, {
      method: 'POST',
      headers,
      body: {
        chargePointId: station.chargePointId,
        name: `Simulated ${station.chargePointId}`,
        ...(station.password ? { securityProfile: 1, password: station.password } : { securityProfile: 0 }),
      },
    });
    if (status === 201) outcome.set(station.chargePointId, 'registered');
    else if (status === 409 && (body as ErrorBody | undefined)?.code === 'CHARGE_POINT_ID_TAKEN')
      outcome.set(station.chargePointId, 'already registered');
    else
      throw new RegistrationError(
        `registering ${station.chargePointId} failed: ${describeError(status, body)}`,
      );
  }
  return outcome;
}
