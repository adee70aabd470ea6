import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Problem } from '../problems.js'

// The operations that add rows a tenant keeps (a quote is ~55 KB stored; a plan and its rows; a payment and its answer).
const STORING = new Set(['POST /v1/quotes', 'POST /v1/plans', 'POST /v1/plans/:id/payments'])
// A tenant's count is read from the database at most this often; answers in between add to it.
const RECOUNT_MS = 10_000
const RETRY_AFTER_SECONDS = '3600'

/**
 * Per-tenant storage quota (TENANT_STORAGE_QUOTA_ROWS quotes + plans + payments; 0 = none): past it, requests
 * that store more are refused with 429 /problems/storage-quota-exceeded until pruning (quotes
 * nobody accepted, QUOTE_RETENTION_DAYS after expiry) makes room, or the quota is raised. Counted per
 * replica from the database, so replicas agree within RECOUNT_MS.
 */
export default fp(async function storageQuota (app: FastifyInstance) {
  const quota = app.config.TENANT_STORAGE_QUOTA_ROWS
  if (quota === 0) return
  const counts = new Map<string, { rows: number, at: number }>()
  const stored = async (tenantId: string): Promise<number> => {
    const cached = counts.get(tenantId)
    if (cached !== undefined && Date.now() - cached.at < RECOUNT_MS) return cached.rows
    const { rows } = await app.db.query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM quotes WHERE tenant_id = $1) + (SELECT count(*) FROM plans WHERE tenant_id = $1)
        + (SELECT count(*) FROM payments WHERE tenant_id = $1))::int AS n`, [tenantId])
    const entry = { rows: rows[0]!.n, at: Date.now() }
    counts.set(tenantId, entry)
    return entry.rows
  }
  const storing = (request: FastifyRequest) => STORING.has(`${request.method} ${request.routeOptions.url ?? ''}`)
  app.addHook('preHandler', async (request) => {
    if (!storing(request)) return
    const rows = await stored(request.tenant.tenantId)
    if (rows >= quota) {
      throw new Problem('storage-quota-exceeded', `this tenant stores ${rows} quotes, plans and payments, at its quota of ${quota}; quotes nobody accepted are pruned after they expire`,
        { limit: 'storage', quota }, { 'retry-after': RETRY_AFTER_SECONDS })
    }
  })
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 201 || !storing(request)) return
    const cached = counts.get(request.tenant.tenantId)
    if (cached !== undefined) cached.rows++
  })
}, { name: 'storage-quota', dependencies: ['authentication'] })
