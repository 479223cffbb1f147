import type { LoggerService } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DestinationStream, destination } from 'pino';
import pretty from 'pino-pretty';

/**
 * Where the log goes: pino's JSON lines on stdout, or for people one readable line per event —
 * time, level, where from, message, then the event's fields on the same line.
 */
export function logDestination(
  format: 'pretty' | 'json',
  to: NodeJS.WritableStream | number = 1,
): DestinationStream {
  if (format === 'json') return typeof to === 'number' ? destination(to) : (to as DestinationStream);
  return pretty({
    destination: to,
    sync: true,
    colorize: typeof to === 'number' && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
    ignore: 'pid,hostname,context,req,res,responseTime',
    messageFormat: '{if context}[{context}] {end}{msg}',
  });
}

/** A request's log line says what it was, in JSON too (where `req` and `res` hold the details). */
export const requestLogMessage = (
  req: IncomingMessage,
  res: ServerResponse,
  responseTimeMs: number,
): string => `${req.method ?? '?'} ${req.url ?? '?'} ${res.statusCode} ${Math.round(responseTimeMs)} ms`;

/** Nest's start-up chatter: a line per module loaded and per route mapped. */
const STARTUP_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
]);

const contextOf = (params: unknown[]): unknown => params[params.length - 1];

/**
 * The app's logger with Nest's start-up chatter moved to `debug`: at `info` a start is a few
 * lines, not one per route.
 */
export class QuietStartupLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    if (typeof context === 'string' && STARTUP_CONTEXTS.has(context)) this.inner.debug?.(message, ...params);
    else this.inner.log(message, ...params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.inner.error(message, ...params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.inner.warn(message, ...params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.inner.debug?.(message, ...params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.inner.verbose?.(message, ...params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    (this.inner.fatal ?? this.inner.error).call(this.inner, message, ...params);
  }
}
