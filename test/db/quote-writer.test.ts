import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { Queryable } from '../../src/db/pool.js'
import { QuoteWriter } from '../../src/db/quote-writer.js'
import { buildTestApp } from '../helpers/app.js'

t.test('quotes written in the same turn share one INSERT; a bad row fails alone', async (t) => {
  const { pool, tenant } = await buildTestApp(t)
  const { tenantId } = await tenant()
  let statements = 0
  const counting: Queryable = { query: (async (text: string, values?: unknown[]) => { statements++; return await pool.query(text, values) }) as Queryable['query'] }
  const writer = new QuoteWriter(counting)
  const record = (loanId: string) => ({
    tenantId, quoteId: randomUUID(), loanId, policyName: 'standard', policyVersion: 1, currency: 'CNY',
    createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString(), body: '{}', options: '[]'
  })
  await Promise.all(Array.from({ length: 30 }, async (_, i) => { await writer.write(record(`L-${i}`)) }))
  t.equal(statements, 1, '30 quotes, one statement')
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM quotes WHERE tenant_id = $1', [tenantId])
  t.equal(rows[0].n, 30)

  statements = 0
  const results = await Promise.allSettled([writer.write(record('ok-1')), writer.write(record('x'.repeat(65))), writer.write(record('ok-2'))])
  t.same(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled'], 'only the bad row fails')
  t.equal(statements, 4, 'the failed batch, then each row on its own')

  statements = 0
  await Promise.all(Array.from({ length: 250 }, async (_, i) => { await writer.write(record(`M-${i}`)) }))
  t.equal(statements, 3, 'batches are capped at 100 rows')
})
