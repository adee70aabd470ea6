import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { ChangeListener } from '../../db/change-feed.js'
import type { Tenant } from '../../db/tenants-repository.js'
import type { ResolvedPolicy } from '../../services/policies.js'
import { TenantCache } from '../../services/tenant-cache.js'

declare module 'fastify' {
  interface FastifyInstance {
    caches: { tenantsByKey: TenantCache<Tenant>, policies: TenantCache<ResolvedPolicy>, listener: ChangeListener }
  }
}

/**
 * Caches the two lookups every request would otherwise make (API key → tenant, tenant → policy),
 * trusted only while PostgreSQL change notifications flow, so every replica forgets a revoked
 * key or a changed policy within moments.
 */
export default fp(async function caches (app: FastifyInstance) {
  const ttl = app.config.CACHE_TTL_MS
  // The caches trust themselves only while the listener (created next, which forgets their entries) is live.
  const live = (): boolean => ttl > 0 && listener.live
  const tenantsByKey = new TenantCache<Tenant>(live, ttl)
  const policies = new TenantCache<ResolvedPolicy>(live, ttl)
  const listener = new ChangeListener(app.db.options, {
    onChange: (kind, tenantId) => { (kind === 'api-keys' ? tenantsByKey : policies).forgetTenant(tenantId) },
    onReset: () => { tenantsByKey.clear(); policies.clear() }
  }, app.log)
  app.decorate('caches', { tenantsByKey, policies, listener })
  if (ttl > 0) app.addHook('onReady', async () => { await listener.start() })
  app.addHook('onClose', async () => { await listener.stop() })
}, { name: 'caches', dependencies: ['database'] })
