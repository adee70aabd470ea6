import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import { Problem } from '../problems.js'

/**
 * Per-tenant request budget (keyed by the authenticated tenant, not the IP, so one lender's
 * flood cannot starve another). Counted per API replica, in memory.
 */
export default fp(async function tenantRateLimit (app: FastifyInstance) {
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: app.config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (request) => request.tenant.tenantId,
    errorResponseBuilder: (_request, context) => new Problem('rate-limited',
      `this API key's tenant exceeded ${context.max} requests a minute; retry in ${Math.ceil(context.ttl / 1000)} s`, { limit: 'tenant-requests' }, { 'retry-after': String(Math.ceil(context.ttl / 1000)) })
  })
}, { name: 'tenant-rate-limit' })
