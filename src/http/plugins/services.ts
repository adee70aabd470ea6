import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Acceptances } from '../../db/acceptances.js'
import { QuoteWriter } from '../../db/quote-writer.js'
import { PlanService } from '../../services/plans.js'
import { PolicyService } from '../../services/policies.js'
import { QuoteService } from '../../services/quotes.js'
import { ServicingService } from '../../services/servicing.js'
import { EventService } from '../../services/events.js'
import { WebhookService } from '../../services/webhooks.js'
import { SecretBox } from '../../services/webhook-secrets.js'
import { systemClock, type Clock } from '../../services/clock.js'

declare module 'fastify' {
  interface FastifyInstance { quotes: QuoteService, plans: PlanService, policies: PolicyService, servicing: ServicingService, events: EventService, webhooks: WebhookService }
}

/** The use cases, built once per app on the pool, its group-commit batchers and its caches. */
export default fp(async function services (app: FastifyInstance, opts: { clock?: Clock | undefined }) {
  const servicing = new ServicingService(app.db, opts.clock ?? systemClock)
  app.decorate('servicing', servicing)
  app.decorate('events', new EventService(app.db))
  const key = app.config.WEBHOOK_ENCRYPTION_KEY
  app.decorate('webhooks', new WebhookService(app.db, key === undefined ? undefined : new SecretBox(key),
    { allowHttp: app.config.WEBHOOK_ALLOW_HTTP, allowPrivateNetworks: app.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS }))
  const policies = new PolicyService(app.db, app.caches.policies)
  app.decorate('policies', policies)
  app.decorate('quotes', new QuoteService(app.db, new QuoteWriter(app.db, app.metrics.observeBatch), policies))
  app.decorate('plans', new PlanService(app.db, new Acceptances(app.db, app.config.IDEMPOTENCY_RETENTION_HOURS, app.metrics.observeBatch), servicing))
}, { name: 'services', dependencies: ['database', 'caches', 'metrics'] })
