import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { outputSeen } from '../factories/processes';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * Runs the real server as `npm start` would (a child process, logging at `trace`), so everything it
 * writes can be searched for secrets.
 */
describe('passwords never appear in a response or a log', () => {
  const ROOT_PASSWORD = 'Root-Secret-Marker-7f3a91';
  const USER_PASSWORD = 'User-Secret-Marker-2b8c55';
  const NEW_PASSWORD = 'New-Secret-Marker-9d1e44';
  const ADMIN_PASSWORD = 'Admin-Secret-Marker-4c6f08';
  let child: ChildProcess;
  let output = '';
  let base: string;
  let dataDir: string;
  const bodies: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kilowatt-secrets-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        PGLITE_DIR: 'memory://',
        DATABASE_URL: '',
        LOG_LEVEL: 'trace',
        // JSON carries every field of a request (headers, body), so it is where a secret could hide.
        LOG_FORMAT: 'json',
        ROOT_PASSWORD,
      },
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    if (!(await outputSeen(child, () => output.includes('Kilowatt is up'), 110_000)))
      throw new Error(`server did not start:\n${output}`);
  }, 120_000);

  afterAll(async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const record = (res: request.Response) => {
    bodies.push(JSON.stringify(res.headers) + res.text);
    return res;
  };

  it('goes through signup, login, password change, failed logins and account creation', async () => {
    const http = request(base);
    const seed = record(
      await http.post('/api/signup').send({ username: 'marker-user', password: USER_PASSWORD }),
    );
    expect(seed.status).toBe(201);
    record(
      await http.post('/api/login').send({ username: 'marker-user', password: USER_PASSWORD }).expect(200),
    );
    record(
      await http
        .post('/api/v1/auth/login')
        .send({ username: 'marker-user', password: NEW_PASSWORD })
        .expect(401),
    );
    const v1 = record(
      await http
        .post('/api/v1/auth/login')
        .send({ username: 'marker-user', password: USER_PASSWORD })
        .expect(200),
    );
    const auth = { Authorization: `Bearer ${v1.body.accessToken}` };
    record(await http.get('/api/v1/auth/me').set(auth).expect(200));
    record(
      await http
        .post('/api/v1/auth/password')
        .set(auth)
        .send({ currentPassword: USER_PASSWORD, newPassword: NEW_PASSWORD })
        .expect(200),
    );
    const root = record(
      await http.post('/api/v1/auth/login').send({ username: 'root', password: ROOT_PASSWORD }),
    );
    const rootAuth = { Authorization: `Bearer ${root.body.accessToken}` };
    const admin = record(
      await http
        .post('/api/v1/users')
        .set(rootAuth)
        .send({ username: 'marker-admin', password: ADMIN_PASSWORD, role: 'admin' })
        .expect(201),
    );
    record(await http.get('/api/v1/users').set(rootAuth).expect(200));
    record(await http.get(`/api/v1/users/${admin.body.id}`).set(rootAuth).expect(200));
    // A validation failure echoes nothing of the rejected password either.
    record(
      await http
        .post('/api/signup')
        .set('X-Request-Id', 'the-last-request')
        .send({ username: 'x', password: USER_PASSWORD, role: 'root' })
        .expect(400),
    );
    // The log is written in order: once the last request's line is out, every earlier one is too.
    expect(await outputSeen(child, () => output.includes('"the-last-request"'), 10_000)).toBe(true);
    expect(output).toContain('"url":"/api/v1/auth/login"'); // the request log is really being captured
  });

  it.each([
    ['root', ROOT_PASSWORD],
    ['user', USER_PASSWORD],
    ['changed', NEW_PASSWORD],
    ['admin', ADMIN_PASSWORD],
  ])('the %s password is in no response and no log line', (_who, password) => {
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) expect(body).not.toContain(password);
    expect(output).not.toContain(password);
  });

  it('no response carries a password hash', () => {
    for (const body of bodies) {
      expect(body).not.toMatch(/\$argon2/);
      expect(body).not.toMatch(/passwordHash|password_hash/);
    }
    expect(output).not.toMatch(/\$argon2/);
  });
});

describe('generated root password', () => {
  it('is written to a private file in DATA_DIR, not to the log', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kilowatt-rootpw-'));
    const port = await freePort();
    let out = '';
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        PGLITE_DIR: 'memory://',
        DATABASE_URL: '',
        LOG_LEVEL: 'info',
        ROOT_PASSWORD: '',
      },
    });
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await outputSeen(child, () => out.includes('Kilowatt is up'), 110_000);
      const file = join(dataDir, 'root-password.txt');
      const password = readFileSync(file, 'utf8').trim();
      expect(statSync(file).mode & 0o077).toBe(0);
      expect(out).toContain('root-password.txt');
      expect(out).not.toContain(password);
      await request(`http://127.0.0.1:${port}`)
        .post('/api/login')
        .send({ username: 'root', password })
        .expect(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
