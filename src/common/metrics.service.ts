import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds, from a millisecond to half a minute: database queries and calls to chargers. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** One registry per app instance, so several apps in one process (tests) do not collide. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'kilowatt_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'kilowatt_' });
  }

  readonly dbQueryDuration = new Histogram({
    name: 'kilowatt_db_query_duration_seconds',
    help: 'Database statement duration (each statement of a transaction on its own)',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram(name: string, help: string, labelNames: string[], buckets = LATENCY_BUCKETS): Histogram<string> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /**
   * A gauge read when scraped: `read` gives the value per label set (a query, say). A failed read
   * leaves the gauge empty for that scrape rather than failing /metrics.
   */
  gauge(
    name: string,
    help: string,
    labelNames: string[],
    read: () => Promise<{ labels?: Record<string, string>; value: number }[]>,
  ): Gauge<string> {
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        const values = await read().catch(() => []);
        for (const { labels, value } of values) {
          if (labels) this.set(labels, value);
          else this.set(value);
        }
      },
    });
  }
}
