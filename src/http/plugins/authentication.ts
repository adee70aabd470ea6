import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { describeKey, looksLikeApiKey } from '../../auth/api-keys.js'
import { tenantForApiKey, type Tenant } from '../../db/tenants-repository.js'
import { Problem } from '../problems.js'

declare module 'fastify' {
  interface FastifyRequest { tenant: Tenant }
  interface FastifyInstance { authenticate: (request: FastifyRequest) => Promise<void> }
}

const CREDENTIAL_PARAMS = new Set(['api_key', 'apikey', 'api-key', 'key', 'token', 'access_token', 'authorization', 'bearer'])

/** Bearer API keys; the resolved tenant scopes every query the request makes. */
export default fp(async function authentication (app: FastifyInstance) {
  app.decorateRequest('tenant', null as unknown as Tenant)
  app.decorate('authenticate', async function authenticate (request: FastifyRequest) {
    // A key in a URL ends up in proxies' and browsers' logs: refuse it outright.
    if (Object.keys(request.query as object).some((name) => CREDENTIAL_PARAMS.has(name.toLowerCase()))) {
      throw new Problem('credentials-in-query', 'never put an API key in the URL; send it as "Authorization: Bearer <key>"')
    }
    const header = request.headers.authorization
    if (header === undefined) throw new Problem('unauthorized', 'send an API key as "Authorization: Bearer <key>"')
    const match = /^Bearer ([^\s]+)$/i.exec(header)
    if (match === null || !looksLikeApiKey(match[1]!)) throw new Problem('unauthorized', 'the Authorization header must be "Bearer <key>"')
    const apiKey = match[1]!
    const key = describeKey(apiKey)
    const cacheKey = key.hash.toString('base64')
    // Taken from the instance per request: the API's contract is registered without a database.
    const cache = app.caches.tenantsByKey
    let tenant = cache.get(cacheKey)
    if (tenant === undefined) {
      const token = cache.token()
      tenant = await tenantForApiKey(app.db, key)
      if (tenant === undefined) throw new Problem('unauthorized', 'the API key is unknown or revoked')
      cache.set(cacheKey, tenant.tenantId, tenant, token)
    }
    request.tenant = tenant
  })
}, { name: 'authentication' })
