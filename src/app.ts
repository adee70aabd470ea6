import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type pg from 'pg'
import type { Config } from './config.js'
import { buildValidator } from './http/validation.js'
import problemHandler from './http/plugins/problem-handler.js'
import database from './http/plugins/database.js'
import authentication from './http/plugins/authentication.js'
import openapi from './http/plugins/openapi.js'
import retention from './http/plugins/retention.js'
import caches from './http/plugins/caches.js'
import securityHeaders from './http/plugins/security-headers.js'
import textSafety from './http/plugins/text-safety.js'
import { sendProblem } from './http/plugins/problem-handler.js'
import { problemType } from './http/problems.js'
import loadShedding from './http/plugins/load-shedding.js'
import tenantRateLimit from './http/plugins/tenant-rate-limit.js'
import healthRoutes from './http/routes/health.js'
import { ProblemSchema } from './http/schemas/problem.js'
import { TenantSchema } from './http/schemas/tenant.js'
import meRoutes from './http/routes/me.js'
import quoteRoutes from './http/routes/quotes.js'
import policyRoutes from './http/routes/policies.js'
import planRoutes from './http/routes/plans.js'
import { PlanSchema, PlanSummarySchema } from './http/schemas/plan.js'
import { PolicySchema } from './http/schemas/policy.js'
import { QuoteOptionSchema, QuoteSchema, ScheduleRowSchema } from './http/schemas/quote.js'

declare module 'fastify' {
  interface FastifyInstance { config: Config }
}

export interface AppOptions {
  config: Config
  pool: pg.Pool
  /** Listen for change notifications and cache keys and policies (default true; off for OpenAPI generation). */
  changeNotifications?: boolean
  /** A pino instance or options; `false` silences logs (tests, OpenAPI generation). */
  logger?: FastifyServerOptions['loggerInstance'] | false
}

// Borrower data and credentials never reach the logs.
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie',
  '*.monthlyIncome', '*.monthlyObligations', '*.availableFunds', '*.apiKey', '*.password'
]

const REQUEST_ID = /^[\x21-\x7e]{1,128}$/

export function loggerOptions (level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // Only the path is logged: a query string may carry secrets or personal data.
      req: (req: { method: string, url: string, id: string }) => ({ method: req.method, path: req.url.split('?')[0], requestId: req.id })
    }
  }
}

export async function build (opts: AppOptions): Promise<FastifyInstance> {
  const { config } = opts
  const logging: FastifyServerOptions = opts.logger === undefined || opts.logger === false
    ? { logger: opts.logger === false ? false : loggerOptions(config.LOG_LEVEL) }
    : { loggerInstance: opts.logger }
  const app = Fastify({
    ...logging,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.REQUEST_TIMEOUT_MS + 5000,
    keepAliveTimeout: 72000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    ajv: { customOptions: {} },
    // The cast bridges Fastify's Ajv-specific factory type; the contract is the documented one.
    schemaController: { compilersFactory: { buildValidator: buildValidator as never } },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 500 },
    // Errors raised by the router before any route (undecodable URLs) are problems too.
    frameworkErrors: (error, request, reply) => {
      sendProblem(request, reply, { type: problemType('bad-request'), title: 'Bad Request', status: 400, detail: 'the URL cannot be decoded' })
    }
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.decorate('config', config)

  // While shutting down, answers close their connection so keep-alive sockets cannot hold the
  // server open past the grace period.
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
    if (closing) reply.header('connection', 'close')
  })

  // The API speaks JSON only; a text/plain body is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain')
  app.addSchema(ProblemSchema)
  app.addSchema(TenantSchema)
  app.addSchema(ScheduleRowSchema)
  app.addSchema(QuoteOptionSchema)
  app.addSchema(QuoteSchema)
  app.addSchema(PolicySchema)
  app.addSchema(PlanSummarySchema)
  app.addSchema(PlanSchema)
  await app.register(problemHandler)
  await app.register(securityHeaders)
  await app.register(textSafety)
  await app.register(loadShedding)
  await app.register(database, { pool: opts.pool })
  await app.register(caches, { enabled: opts.changeNotifications ?? true })
  await app.register(authentication)
  await app.register(retention)
  await app.register(openapi)
  await app.register(healthRoutes)
  await app.register(async function v1 (api) {
    api.addHook('onRequest', api.authenticate)
    await api.register(tenantRateLimit)
    await api.register(meRoutes)
    await api.register(quoteRoutes)
    await api.register(policyRoutes)
    await api.register(planRoutes)
  }, { prefix: '/v1' })
  return app
}
