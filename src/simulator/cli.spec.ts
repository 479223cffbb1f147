import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { CliUsageError, parseCliArgs, stationIds } from './cli';

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
