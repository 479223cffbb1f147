import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { Clock } from './common/clock';
import { QuietStartupLogger } from './common/logging';
import { RoutedWsAdapter } from './common/upgrade-routes';
import { rejectUnstorableInput, validationPipe } from './common/validation';
import { CertificateAuthority } from './commands/certificate-authority';
import { AppConfig } from './config/app-config';
import { setupSwagger } from './swagger';

/**
 * Builds the whole application; used by main.ts and by the tests alike. The tests pass a clock
 * they can move forward; otherwise the application reads the system time.
 */
export async function createApp(
  config: AppConfig,
  opts: { clock?: Clock } = {},
): Promise<NestExpressApplication> {
  const ca = await CertificateAuthority.load(config.certificateAuthority);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, ca, opts.clock), {
    // With TLS the one server speaks https and wss, and asks chargers for a client certificate
    // (security profile 3) signed by Kilowatt's CA or TLS_CA_FILE's, without refusing clients that
    // have none — the gateway decides per charger.
    ...(config.tls
      ? {
          httpsOptions: {
            cert: config.tls.cert,
            key: config.tls.key,
            ca: config.tls.ca ? [config.tls.ca, ca.certPem] : [ca.certPem],
            requestCert: true,
            rejectUnauthorized: false,
          },
        }
      : {}),
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
    // Keeps the JSON body's exact bytes on req.rawBody: request signatures cover them.
    rawBody: true,
  });
  app.useLogger(new QuietStartupLogger(app.get(Logger)));
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = config.httpTimeouts;
  Object.assign(app.getHttpServer() as Server, {
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    // Node looks for overdue requests this often (30 s by default); read when the server listens.
    connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs),
  });
  app.useBodyParser('json', { limit: '1mb' });
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(
    helmet({
      // Helmet's default CSP asks browsers to fetch every asset over https: Swagger UI served over
      // plain http at any name but localhost would then be a blank page.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  if (config.corsOrigins)
    app.enableCors({ origin: config.corsOrigins === '*' ? true : config.corsOrigins, maxAge: 600 });
  // Before any guard: authentication and rate limits never see a value no column can store.
  app.use(rejectUnstorableInput);
  app.useGlobalPipes(validationPipe);
  app.useWebSocketAdapter(new RoutedWsAdapter(app));
  app.enableShutdownHooks();
  if (config.swaggerEnabled) setupSwagger(app);
  return app;
}
