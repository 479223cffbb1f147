import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config';
import { ConfigError } from './env.schema';

describe('TLS settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kilowatt-tls-config-'));
  const base = { DATA_DIR: dir, JWT_SECRET: 'x'.repeat(32) };
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  writeFileSync(cert, '-----BEGIN CERTIFICATE-----\n');
  writeFileSync(key, '-----BEGIN PRIVATE KEY-----\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is off without certificate and key', () => {
    expect(loadConfig(base).tls).toBeUndefined();
  });

  it('reads certificate, key and the optional CA', () => {
    const tls = loadConfig({ ...base, TLS_CERT_FILE: cert, TLS_KEY_FILE: key, TLS_CA_FILE: cert }).tls;
    expect(tls).toEqual({
      cert: '-----BEGIN CERTIFICATE-----\n',
      key: '-----BEGIN PRIVATE KEY-----\n',
      ca: '-----BEGIN CERTIFICATE-----\n',
    });
  });

  it.each([
    [{ TLS_CERT_FILE: cert }, /TLS_CERT_FILE, TLS_KEY_FILE/],
    [{ TLS_CA_FILE: cert }, /TLS_CA_FILE/],
    [{ TLS_CERT_FILE: cert, TLS_KEY_FILE: join(dir, 'missing.key') }, /TLS_KEY_FILE: cannot read/],
  ])('refuses to start with %o', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });

  it('keeps the CSMS CA in DATA_DIR unless CA_CERT_FILE and CA_KEY_FILE are given', () => {
    expect(loadConfig(base).certificateAuthority).toEqual({ dataDir: dir, validityDays: 365 });
    expect(
      loadConfig({ ...base, CA_CERT_FILE: cert, CA_KEY_FILE: key, CA_CERT_VALIDITY_DAYS: '90' })
        .certificateAuthority,
    ).toEqual({
      certPem: '-----BEGIN CERTIFICATE-----\n',
      keyPem: '-----BEGIN PRIVATE KEY-----\n',
      dataDir: dir,
      validityDays: 90,
    });
  });

  it.each([
    [{ CA_CERT_FILE: cert }, /CA_CERT_FILE, CA_KEY_FILE: set both or neither/],
    [{ CA_CERT_FILE: cert, CA_KEY_FILE: join(dir, 'missing.key') }, /CA_KEY_FILE: cannot read/],
    [{ CA_CERT_VALIDITY_DAYS: '0' }, /CA_CERT_VALIDITY_DAYS/],
  ])('refuses a CA setting %o', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });

  it('has OCPP defaults', () => {
    expect(loadConfig(base).ocpp).toEqual({
      heartbeatIntervalSeconds: 300,
      callTimeoutMs: 10000,
      messageLogRetentionDays: 7,
      flushIntervalMs: 5000,
      authFailureLimitPerMinute: 20,
      strictValidation: true,
      maxFrameBytes: 1_048_576,
      pingIntervalMs: 30_000,
      handshakeTimeoutMs: 15_000,
      autoRegistrationMaxPending: 50,
    });
  });
});
