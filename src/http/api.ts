import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import problemHandler from './plugins/problem-handler.js'
import drain from './plugins/drain.js'
import authentication from './plugins/authentication.js'
import openapi from './plugins/openapi.js'
import securityHeaders from './plugins/security-headers.js'
import textSafety from './plugins/text-safety.js'
import loadShedding from './plugins/load-shedding.js'
import logContext from './plugins/log-context.js'
import tenantRateLimit from './plugins/tenant-rate-limit.js'
import storageQuota from './plugins/storage-quota.js'
import healthRoutes from './routes/health.js'
import docsRoutes from './routes/docs.js'
import meRoutes from './routes/me.js'
import quoteRoutes from './routes/quotes.js'
import policyRoutes from './routes/policies.js'
import planRoutes from './routes/plans.js'
import paymentRoutes from './routes/payments.js'
import eventRoutes from './routes/events.js'
import webhookRoutes from './routes/webhooks.js'
import { ProblemSchema } from './schemas/problem.js'
import { TenantSchema } from '../schemas/tenant.js'
import { PlanScheduleRowSchema, PlanSchema, PlanSummarySchema } from '../schemas/plan.js'
import { PaymentSchema } from '../schemas/payment.js'
import { EventSchema } from '../schemas/event.js'
import { WebhookDeliverySchema, WebhookEndpointSchema } from '../schemas/webhook.js'
import { PolicySchema } from '../schemas/policy.js'
import { QuoteOptionSchema, QuoteSchema, ScheduleRowSchema } from '../schemas/quote.js'

/**
 * The HTTP API: its contract (schemas, routes, problems, OpenAPI) and the hooks every request
 * passes. It needs no database to register, so the OpenAPI document is printed without one;
 * routes take the services from the instance when a request comes.
 */
export default fp(async function api (app: FastifyInstance) {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  // The API speaks JSON only; a text/plain body is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain')
  for (const schema of [ProblemSchema, TenantSchema, ScheduleRowSchema, QuoteOptionSchema, QuoteSchema, PolicySchema, PlanSummarySchema, PlanScheduleRowSchema, PlanSchema, PaymentSchema, EventSchema, WebhookEndpointSchema, WebhookDeliverySchema]) {
    app.addSchema(schema)
  }
  await app.register(problemHandler)
  await app.register(logContext)
  await app.register(securityHeaders)
  // While shutting down: readiness 503, answers close their connections (see plugins/drain.ts).
  await app.register(drain)
  await app.register(textSafety)
  await app.register(loadShedding)
  await app.register(authentication)
  await app.register(openapi)
  await app.register(healthRoutes)
  await app.register(docsRoutes)
  await app.register(async function v1 (v1) {
    v1.addHook('onRequest', v1.authenticate)
    await v1.register(tenantRateLimit)
    await v1.register(storageQuota)
    await v1.register(meRoutes)
    await v1.register(quoteRoutes)
    await v1.register(policyRoutes)
    await v1.register(planRoutes)
    await v1.register(paymentRoutes)
    await v1.register(eventRoutes)
    await v1.register(webhookRoutes)
  }, { prefix: '/v1' })
}, { name: 'api' })
