import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { describeKey, looksLikeApiKey } from '../../auth/api-keys.js'
import { lookupApiKey, type Tenant } from '../../db/tenants-repository.js'
import { ExpiringSet, WindowCounter } from '../limits.js'
import { Problem } from '../problems.js'

declare module 'fastify' {
  interface FastifyRequest { tenant: Tenant }
  interface FastifyInstance { authenticate: (request: FastifyRequest) => Promise<void> }
}

const CREDENTIAL_PARAMS = new Set(['api_key', 'apikey', 'api-key', 'key', 'token', 'access_token', 'authorization', 'bearer'])

/** Bearer API keys; the resolved tenant scopes every query the request makes. */
export default fp(async function authentication (app: FastifyInstance) {
  app.decorateRequest('tenant', null as unknown as Tenant)
  // Unauthenticated floods: failed authentications are counted per client address (the proxy's
  // client when TRUST_PROXY is set) and refused past AUTH_FAILURES_PER_MINUTE before any lookup;
  // prefixes no active key has are remembered for UNKNOWN_KEY_CACHE_MS so repeated unknown keys
  // do not reach the database. (Only prefixes with no key at all: a wrong key that shares a real
  // prefix must not lock the real key out.)
  const failures = new WindowCounter()
  const unknownPrefixes = new ExpiringSet(app.config.UNKNOWN_KEY_CACHE_MS)
  const limit = app.config.AUTH_FAILURES_PER_MINUTE
  const refuse = (request: FastifyRequest, detail: string): Problem => {
    failures.add(request.ip)
    return new Problem('unauthorized', detail)
  }
  app.decorate('authenticate', async function authenticate (request: FastifyRequest) {
    if (limit > 0 && failures.count(request.ip) >= limit) {
      const retryAfter = failures.retryAfterSeconds()
      throw new Problem('rate-limited', `too many failed authentications from this address (${limit} a minute); retry in ${retryAfter} s`,
        { limit: 'authentication-failures' }, { 'retry-after': String(retryAfter) })
    }
    // A key in a URL ends up in proxies' and browsers' logs: refuse it outright.
    if (Object.keys(request.query as object).some((name) => CREDENTIAL_PARAMS.has(name.toLowerCase()))) {
      throw new Problem('credentials-in-query', 'never put an API key in the URL; send it as "Authorization: Bearer <key>"')
    }
    const header = request.headers.authorization
    if (header === undefined) throw refuse(request, 'send an API key as "Authorization: Bearer <key>"')
    const match = /^Bearer ([^\s]+)$/i.exec(header)
    if (match === null || !looksLikeApiKey(match[1]!)) throw refuse(request, 'the Authorization header must be "Bearer <key>"')
    const apiKey = match[1]!
    const key = describeKey(apiKey)
    const cacheKey = key.hash.toString('base64')
    // Taken from the instance per request: the API's contract is registered without a database.
    const cache = app.caches.tenantsByKey
    let tenant = cache.get(cacheKey)
    if (tenant === undefined) {
      const token = cache.token()
      if (unknownPrefixes.has(key.prefix)) throw refuse(request, 'the API key is unknown or revoked')
      const found = await lookupApiKey(app.db, key)
      tenant = found.tenant
      if (!found.prefixKnown) unknownPrefixes.add(key.prefix)
      if (tenant === undefined) throw refuse(request, 'the API key is unknown or revoked')
      cache.set(cacheKey, tenant.tenantId, tenant, token)
    }
    request.tenant = tenant
  })
}, { name: 'authentication' })
