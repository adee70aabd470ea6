import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Problem } from '../problems.js'
import { WindowCounter } from '../limits.js'

/** Schedule rows computed per extra cost unit. */
export const ROWS_PER_UNIT = 50

/** Cost units of a request: one, plus one per ROWS_PER_UNIT schedule rows it computed (quotes). */
export function costUnits (scheduleRows: number): number {
  return 1 + Math.floor(scheduleRows / ROWS_PER_UNIT)
}

/** Schedule rows in a quote document: each row has exactly one "dueDate". */
export function scheduleRows (quoteJson: string): number {
  let n = 0
  for (let i = quoteJson.indexOf('"dueDate":'); i !== -1; i = quoteJson.indexOf('"dueDate":', i + 10)) n++
  return n
}

/**
 * Per-tenant budget of cost units a minute (RATE_LIMIT_PER_MINUTE), keyed by the authenticated
 * tenant, not the IP, so one lender's flood cannot starve another. A request is let in while the
 * tenant has spent less than the budget and costs 1 unit; a computed quote then adds 1 unit per
 * 50 schedule rows, so a tenant sending 600-row quotes is limited ~13 times sooner than one
 * reading plans. Counted per API replica, in memory.
 */
export default fp(async function tenantRateLimit (app: FastifyInstance) {
  const max = app.config.RATE_LIMIT_PER_MINUTE
  const spent = new WindowCounter()
  const setHeaders = (used: number) => {
    return { 'x-ratelimit-limit': String(max), 'x-ratelimit-remaining': String(Math.max(0, max - used)), 'x-ratelimit-reset': String(spent.retryAfterSeconds()) }
  }
  app.addHook('preHandler', async (request, reply) => {
    const tenantId = request.tenant.tenantId
    const used = spent.count(tenantId)
    if (used >= max) {
      const retryAfter = spent.retryAfterSeconds()
      throw new Problem('rate-limited', `this API key's tenant spent its ${max} cost units a minute (1 a request, +1 per ${ROWS_PER_UNIT} schedule rows a quote computes); retry in ${retryAfter} s`,
        { limit: 'tenant-cost-units', max, spent: used }, { 'retry-after': String(retryAfter), ...setHeaders(used) })
    }
    reply.headers(setHeaders(spent.add(tenantId, 1)))
  })
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 201 || request.method !== 'POST' || request.routeOptions.url !== '/v1/quotes') return payload
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : ''
    const extra = costUnits(scheduleRows(text)) - 1
    if (extra > 0) spent.add(request.tenant.tenantId, extra)
    return payload
  })
}, { name: 'tenant-rate-limit' })
