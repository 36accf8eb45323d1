import Fastify from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App, AppContext } from './context.js';
import { answerFrameworkError, registerErrorHandler } from './http/error-handler.js';
import { registerAuthentication } from './http/authenticate.js';
import { registerIdempotency } from './http/idempotency.js';
import { registerInputGuard } from './http/input-guard.js';
import { registerModules } from './modules/index.js';
import { registerRealtime } from './realtime/index.js';
import { registerStatic } from './http/static.js';

export interface BuildAppOptions {
  context: Omit<AppContext, 'log'>;
  logger?: boolean | object;
}

/** Builds the HTTP application; never listens, so tests and main() choose how to serve it. */
export async function buildApp(options: BuildAppOptions): Promise<{ app: App; context: AppContext }> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.context.config.RAVING_BODY_LIMIT_BYTES,
    // Forwarded headers only from the proxies the operator names: otherwise anyone could pick their own address.
    trustProxy: options.context.config.RAVING_TRUST_PROXY,
    // Generated ids keep pino's request logs joinable without trusting a client header.
    genReqId: () => crypto.randomUUID(),
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  const context: AppContext = { ...options.context, log: app.log };

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Raving API', version: '1.0.0', description: 'The one typed REST API used by the web app, the widget and integrations.' },
      components: {
        securitySchemes: {
          apiToken: { type: 'http', scheme: 'bearer', description: 'API token (rvg_…) created in Settings → API tokens' },
          session: { type: 'apiKey', in: 'cookie', name: 'raving_session' },
        },
      },
      security: [{ apiToken: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  registerAuthentication(app, context);
  registerInputGuard(app);
  registerIdempotency(app, context);
  await registerModules(app, context);
  await registerRealtime(app, context);
  await registerStatic(app);
  return { app, context };
}
