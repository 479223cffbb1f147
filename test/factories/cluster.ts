import { spawnSync } from 'node:child_process';

/** The broker the cluster suites connect their nodes through. */
export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Whether a TCP connection to the broker opens within a second (decided once, at load time). */
function natsReachable(url: string): boolean {
  const { hostname, port } = new URL(url);
  const probe = `require('net').connect(${Number(port) || 4222}, ${JSON.stringify(hostname)})
    .on('connect', () => process.exit(0)).on('error', () => process.exit(1))
    .setTimeout(1000, () => process.exit(1));`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 3000 }).status === 0;
}

/**
 * Why a suite of several nodes cannot run here, or null: two nodes need one PostgreSQL database
 * and a broker. A suite that skips says so loudly, and .ci/run fails on any skip in its
 * PostgreSQL run, where NATS is started first.
 */
export function clusterSkipReason(suite: string): string | null {
  const reason = !process.env.TEST_DATABASE_URL
    ? 'needs TEST_DATABASE_URL (PostgreSQL shared by both nodes)'
    : !natsReachable(NATS_URL)
      ? `needs a NATS server at ${NATS_URL}`
      : null;
  if (reason) console.warn(`SKIPPED [postgres only]: ${suite} ${reason}`);
  return reason;
}

/**
 * What every node of a test cluster shares: the broker under subjects of this run only (other
 * runs may share the machine's broker), the JWT secret, and the pepper charger passwords are
 * keyed-hashed under.
 */
export const clusterEnv = (name: string) => ({
  NATS_URL,
  NATS_SUBJECT_PREFIX: `kwtest-${name}-${process.pid}-${Date.now().toString(36)}`,
  JWT_SECRET: 'cluster-test-secret-shared-by-both-nodes-0123456789',
  CHARGER_CREDENTIAL_PEPPER: 'cluster-test-pepper-shared-by-both-nodes-0123456789',
  PRESENCE_HEARTBEAT_MS: '300',
  PRESENCE_TTL_MS: '1500',
});
