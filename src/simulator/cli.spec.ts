import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { CliUsageError, parseCliArgs, stationIds } from './cli';
import { apiUrlFor } from './registration';

describe('simulator CLI', () => {
  it('reads every flag', () => {
    const options = parseCliArgs([
      '--url',
      'wss://csms.example.com/ocpp',
      '--stations',
      '3',
      '--connectors',
      '1',
      '--prefix',
      'DE-KW-',
      '--password',
      'p4ss',
      '--interval',
      '500',
      '--start-index',
      '9',
      '--power',
      '22000',
      '--protocol',
      'ocpp2.0.1',
    ]);

    expect(options).toEqual({
      url: 'wss://csms.example.com/ocpp',
      protocol: 'ocpp2.0.1',
      stations: 3,
      connectors: 1,
      prefix: 'DE-KW-',
      password: 'p4ss',
      intervalMs: 500,
      startIndex: 9,
      powerW: 22_000,
    });
    expect(options !== 'help' && stationIds(options)).toEqual(['DE-KW-009', 'DE-KW-010', 'DE-KW-011']);
  });

  it('defaults to one two-connector station CP001 on localhost', () => {
    const options = parseCliArgs([]);

    expect(options).toMatchObject({
      url: 'ws://localhost:3000/ocpp',
      protocol: 'ocpp1.6',
      stations: 1,
      connectors: 2,
      intervalMs: 2000,
    });
    expect(options !== 'help' && stationIds(options)).toEqual(['CP001']);
  });

  it.each([
    [['--stations', '0'], '--stations must be an integer >= 1'],
    [['--connectors', 'two'], '--connectors must be an integer >= 1'],
    [['--url', 'http://localhost:3000'], '--url must start with ws:// or wss://'],
    [['--protocol', 'ocpp2.1'], '--protocol must be one of ocpp1.6, ocpp2.0.1'],
  ])('refuses %p', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(new CliUsageError(message));
  });

  describe('--register', () => {
    const noEnv = {};
    const files: Record<string, string> = { 'data/root-password.txt': 'generated-root-password\n' };
    const readFile = (p: string) => {
      if (!(p in files)) throw new Error(`ENOENT: no such file, open '${p}'`);
      return files[p];
    };

    it('registers with an API key, at the API beside the OCPP endpoint', () => {
      expect(
        parseCliArgs(['--url', 'wss://csms.example.com:8443/ocpp', '--register', '--api-key', 'kw_x'], noEnv),
      ).toMatchObject({
        register: { apiUrl: 'https://csms.example.com:8443/api/v1', credentials: { apiKey: 'kw_x' } },
      });
      expect(parseCliArgs(['--register'], { KILOWATT_API_KEY: 'kw_env' })).toMatchObject({
        register: { apiUrl: 'http://localhost:3000/api/v1', credentials: { apiKey: 'kw_env' } },
      });
    });

    it('logs in with the password from a file (the generated root password) or KILOWATT_PASSWORD', () => {
      expect(
        parseCliArgs(
          [
            '--register',
            '--login',
            'root',
            '--login-password-file',
            'data/root-password.txt',
            '--api',
            'http://10.0.0.5:3000/api/v1',
          ],
          noEnv,
          readFile,
        ),
      ).toMatchObject({
        register: {
          apiUrl: 'http://10.0.0.5:3000/api/v1',
          credentials: { username: 'root', password: 'generated-root-password' },
        },
      });
      expect(
        parseCliArgs(['--register', '--login', 'ops'], { KILOWATT_PASSWORD: 'pw' }, readFile),
      ).toMatchObject({
        register: { credentials: { username: 'ops', password: 'pw' } },
      });
    });

    it.each([
      [['--register'], '--register needs --api-key <key> (or KILOWATT_API_KEY) or --login <username>'],
      [
        ['--register', '--login', 'root'],
        '--login root needs --login-password-file <path> or KILOWATT_PASSWORD',
      ],
      [
        ['--register', '--login', 'root', '--login-password-file', 'nope.txt'],
        "--login-password-file nope.txt: ENOENT: no such file, open 'nope.txt'",
      ],
    ])('refuses %p', (argv, message) => {
      expect(() => parseCliArgs(argv, noEnv, readFile)).toThrow(new CliUsageError(message));
    });

    it('registers nothing without --register', () => {
      expect(parseCliArgs(['--api-key', 'kw_x'], noEnv)).not.toHaveProperty('register');
    });

    it.each([
      ['ws://localhost:3000/ocpp', 'http://localhost:3000/api/v1'],
      ['wss://csms.example.com/ocpp/', 'https://csms.example.com/api/v1'],
      ['ws://10.0.0.5:3000/ocpp/0b6e3c1e-5a4e-4c1e-9f3a-2f0b2d3c4e5f', 'http://10.0.0.5:3000/api/v1'],
    ])('finds the API of %s at %s', (url, api) => {
      expect(apiUrlFor(url)).toBe(api);
    });
  });

  it('rejects unknown flags and recognises --help', () => {
    expect(() => parseCliArgs(['--stationz', '2'])).toThrow(/Unknown option '--stationz'/);
    expect(parseCliArgs(['-h'])).toBe('help');
  });

  it('prints usage from the command line', () => {
    const out = execFileSync(
      process.execPath,
      [require.resolve('ts-node/dist/bin'), '--transpile-only', path.join(__dirname, 'cli.ts'), '--help'],
      {
        encoding: 'utf8',
      },
    );

    expect(out).toContain('Usage: npm run simulate -- [options]');
    expect(out).toContain('--start-index');
    expect(out).toContain('--protocol');
  });
});
