import type { LoggerService } from '@nestjs/common';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { QuietStartupLogger, logDestination } from './logging';

function recorder() {
  const calls: [string, unknown[]][] = [];
  const inner: LoggerService = {
    log: (...a: unknown[]) => calls.push(['log', a]),
    error: (...a: unknown[]) => calls.push(['error', a]),
    warn: (...a: unknown[]) => calls.push(['warn', a]),
    debug: (...a: unknown[]) => calls.push(['debug', a]),
  };
  return { calls, logger: new QuietStartupLogger(inner) };
}

function capture(format: 'pretty' | 'json') {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const log = pino({ level: 'info' }, logDestination(format, out));
  return { log, text: () => text };
}

describe('logging', () => {
  it("moves Nest's per-route and per-module start-up lines to debug, and passes everything else on", () => {
    const { calls, logger } = recorder();
    logger.log('Mapped {/api/v1/health, GET} route', 'RouterExplorer');
    logger.log('UsersModule dependencies initialized', 'InstanceLoader');
    logger.log('Nest application successfully started', 'NestApplication');
    logger.warn('careful', 'UsersService');
    expect(calls).toEqual([
      ['debug', ['Mapped {/api/v1/health, GET} route', 'RouterExplorer']],
      ['debug', ['UsersModule dependencies initialized', 'InstanceLoader']],
      ['log', ['Nest application successfully started', 'NestApplication']],
      ['warn', ['careful', 'UsersService']],
    ]);
  });

  it('writes one readable line per event in pretty format: time, level, context, message, fields', () => {
    const { log, text } = capture('pretty');
    log.info(
      { context: 'OcppGatewayService', chargePointId: 'CP001', protocol: 'ocpp2.0.1' },
      'Charger connected',
    );
    const lines = text().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[OcppGatewayService\] Charger connected \{"chargePointId":"CP001","protocol":"ocpp2.0.1"\}$/,
    );
  });

  it('writes JSON lines in json format', () => {
    const { log, text } = capture('json');
    log.info({ chargePointId: 'CP001' }, 'Charger booted');
    expect(JSON.parse(text())).toMatchObject({ level: 30, chargePointId: 'CP001', msg: 'Charger booted' });
  });
});
