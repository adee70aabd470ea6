import { createHash, randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import type pg from 'pg'
import { acceptPlanAtomically, acceptPlansAtomically, type PlanAcceptance } from '../../src/db/acceptance-repository.js'
import { Acceptances } from '../../src/db/acceptances.js'
import type { Queryable } from '../../src/db/pool.js'
import { insertQuotes } from '../../src/db/quotes-repository.js'
import { buildTestApp } from '../helpers/app.js'

const RETENTION_HOURS = 48

async function setup (t: Test) {
  const { pool, tenant } = await buildTestApp(t)
  const { tenantId } = await tenant()
  const now = new Date()
  async function quote (loanId: string): Promise<string> {
    const quoteId = randomUUID()
    await insertQuotes(pool, [{ tenantId, quoteId, loanId, policyName: 'standard', policyVersion: 1, currency: 'CNY', createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + 86_400_000).toISOString(), body: '{}' }])
    return quoteId
  }
  function acceptance (quoteId: string, loanId: string, key = randomUUID(), months = 2): PlanAcceptance {
    const planId = randomUUID()
    const schedule = Array.from({ length: months }, (_, i) => ({ number: i + 1, dueDate: `2030-0${i + 1}-15`, payment: '10.00', principal: '10.00', interest: '0.00', balance: (100 - 10 * (i + 1)).toFixed(2) }))
    return {
      key,
      requestHash: createHash('sha256').update(key).digest(),
      planId,
      createdAt: now.toISOString(),
      plan: {
        tenantId, loanId, quoteId, optionId: 'settlement', type: 'settlement', termMonths: null, method: null, holidayMonths: null,
        currency: 'CNY', amountFinanced: '100.00', totalRepayable: '100.00', totalInterest: '0.00', penaltyWaived: '0.00',
        discount: '0.00', capitalizedInterest: '0.00', maxPayment: '50.00', apr: '0.0000', policyName: 'standard', policyVersion: 1,
        acceptedBy: null, channel: null, note: null
      },
      schedule,
      createdBody: JSON.stringify({ id: planId }),
      location: `/v1/plans/${planId}`,
      conflictBody: '{"existingPlanId":"MARK"}',
      conflictMarker: 'MARK'
    }
  }
  const installments = async (planId: string) => (await pool.query('SELECT count(*)::int AS n FROM plan_installments WHERE tenant_id = $1 AND plan_id = $2', [tenantId, planId])).rows[0].n as number
  return { pool, tenantId, quote, acceptance, installments }
}

t.test('a batch applies accept_plan\'s rules to each acceptance in one statement', async (t) => {
  const { pool, tenantId, quote, acceptance, installments } = await setup(t)
  const qa = await quote('A')
  const qb = await quote('B')
  const a1 = acceptance(qa, 'A')
  const a2 = acceptance(qa, 'A') // the same loan under another key
  const b = acceptance(qb, 'B', undefined, 3)
  const results = await acceptPlansAtomically(pool, [a1, a2, b], RETENTION_HOURS)
  t.same(results.map((r) => r.outcome), ['created', 'conflict', 'created'])
  t.same(results.map((r) => r.answer.statusCode), [201, 409, 201])
  t.equal(results[0]!.answer.body, a1.createdBody, 'a new plan answers with the body built for it')
  t.equal(results[0]!.answer.location, a1.location)
  t.same(JSON.parse(results[1]!.answer.body), { existingPlanId: a1.planId }, 'the 409 names the plan created in the same batch')
  t.equal(await installments(a1.planId), 2, 'schedule written')
  t.equal(await installments(b.planId), 3)
  t.equal(await installments(a2.planId), 0, 'nothing written for the refused acceptance')

  // The same keys again (a retry of the whole batch): every answer replays, nothing new is written.
  const again = await acceptPlansAtomically(pool, [{ ...a1, planId: randomUUID() }, a2, b], RETENTION_HOURS)
  t.same(again.map((r) => r.outcome), ['replay', 'replay', 'replay'])
  t.same(again.map((r) => [r.answer.statusCode, r.answer.body]), results.map((r) => [r.answer.statusCode, r.answer.body]))
  t.ok(again[0]!.answer.requestHash.equals(a1.requestHash), 'the stored request hash comes back for the replay check')
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM plans WHERE tenant_id = $1', [tenantId])
  t.equal(rows[0].n, 2)

  // A key past its retention is claimed afresh.
  await pool.query("UPDATE idempotency_keys SET created_at = now() - interval '49 hours' WHERE tenant_id = $1 AND key = $2", [tenantId, a2.key])
  await pool.query("UPDATE plans SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'test' WHERE plan_id = $1", [a1.planId])
  const fresh = await acceptPlansAtomically(pool, [a2], RETENTION_HOURS)
  t.same(fresh.map((r) => r.outcome), ['created'], 'the expired key is reused for a new acceptance')
})

interface KeyWrites { inserted: number, updated: number }

// Runs `work` in a transaction and counts its row writes to the key table. PostgreSQL 15 flushes
// a backend's counts to the shared statistics about once a second, so the pending counts can
// include earlier transactions on the same connection: read them before and after, inside.
async function keyWritesDuring<R> (pool: pg.Pool, work: (client: Queryable) => Promise<R>): Promise<{ result: R, writes: KeyWrites }> {
  const client = await pool.connect()
  const counts = async (): Promise<KeyWrites> => (await client.query("SELECT n_tup_ins::int AS inserted, n_tup_upd::int AS updated FROM pg_stat_xact_user_tables WHERE relname = 'idempotency_keys'")).rows[0]
  try {
    await client.query('BEGIN')
    const before = await counts()
    const result = await work(client)
    const after = await counts()
    await client.query('COMMIT')
    return { result, writes: { inserted: after.inserted - before.inserted, updated: after.updated - before.updated } }
  } finally { client.release() }
}

t.test('a batch writes each new key once, with its answer; only a refused one is rewritten to 409', async (t) => {
  const { pool, quote, acceptance } = await setup(t)
  const qa = await quote('OA')
  const batch = [acceptance(qa, 'OA'), acceptance(qa, 'OA'), acceptance(await quote('OB'), 'OB'), acceptance(await quote('OC'), 'OC')]
  const { result: results, writes } = await keyWritesDuring(pool, async (client) => await acceptPlansAtomically(client, batch, RETENTION_HOURS))
  t.same(results.map((r) => r.answer.statusCode), [201, 409, 201, 201])
  t.same(writes, { inserted: 4, updated: 1 }, 'four keys inserted; only the 409 updated')
  const { rows } = await pool.query('SELECT key, status_code AS "statusCode", response_body AS body, location FROM idempotency_keys WHERE key = ANY ($1) ORDER BY status_code', [batch.map((a) => a.key)])
  t.same(rows.filter((r) => r.statusCode === 201).map((r) => [r.body, r.location]).sort(), [batch[0]!, batch[2]!, batch[3]!].map((a) => [a.createdBody, a.location]).sort(), 'the stored 201 answers')
  t.same(JSON.parse(rows.find((r) => r.statusCode === 409)!.body), { existingPlanId: batch[0]!.planId })
})

t.test('a single acceptance writes its key once, with its answer; a refused one is rewritten to 409', async (t) => {
  const { pool, quote, acceptance } = await setup(t)
  const qa = await quote('SA')
  const keyWrites = async (a: PlanAcceptance) => {
    const { result, writes } = await keyWritesDuring(pool, async (client) => await acceptPlanAtomically(client, a, RETENTION_HOURS))
    return { status: result.answer.statusCode, stats: writes }
  }
  const created = acceptance(qa, 'SA')
  t.same(await keyWrites(created), { status: 201, stats: { inserted: 1, updated: 0 } }, 'created: one insert, no update')
  t.same(await keyWrites(acceptance(qa, 'SA')), { status: 409, stats: { inserted: 1, updated: 1 } }, 'refused: the claim is rewritten once')
  const { rows: [stored] } = await pool.query('SELECT status_code AS "statusCode", response_body AS body, location FROM idempotency_keys WHERE key = $1', [created.key])
  t.same(stored, { statusCode: 201, body: created.createdBody, location: created.location }, 'the stored 201 answer')
})

t.test('a failed batch writes nothing, and each acceptance is retried alone', async (t) => {
  const { pool, tenantId, quote, acceptance, installments } = await setup(t)
  const good1 = acceptance(await quote('G1'), 'G1')
  const bad = acceptance(randomUUID(), 'X') // no such quote: a foreign-key violation
  const good2 = acceptance(await quote('G2'), 'G2')
  await t.rejects(acceptPlansAtomically(pool, [good1, bad, good2], RETENTION_HOURS), { code: '23503' })
  t.equal(await installments(good1.planId), 0, 'all or nothing')
  const keys = await pool.query('SELECT count(*)::int AS n FROM idempotency_keys WHERE tenant_id = $1', [tenantId])
  t.equal(keys.rows[0].n, 0, 'no key claimed')

  let statements = 0
  const counting = { query: (async (...args: unknown[]) => { statements++; return await (pool.query as (...a: unknown[]) => Promise<unknown>)(...args) }) as unknown as Queryable['query'] }
  const store = new Acceptances(counting, RETENTION_HOURS)
  const settled = await Promise.allSettled([store.write(good1), store.write(bad), store.write(good2)])
  t.same(settled.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled'], 'only the bad acceptance fails')
  t.equal(statements, 4, 'the failed batch, then each on its own')
  t.equal(await installments(good1.planId), 2)
  t.equal(await installments(good2.planId), 2)
})

t.test('concurrent acceptances share statements; a key repeated within a batch replays', async (t) => {
  const { pool, quote, acceptance } = await setup(t)
  let statements = 0
  const counting = { query: (async (...args: unknown[]) => { statements++; return await (pool.query as (...a: unknown[]) => Promise<unknown>)(...args) }) as unknown as Queryable['query'] }
  const store = new Acceptances(counting, RETENTION_HOURS)
  const quotes = await Promise.all(Array.from({ length: 10 }, async (_, i) => await quote(`C-${i}`)))
  const batch = quotes.map((q, i) => acceptance(q, `C-${i}`))
  const repeat = { ...batch[3]!, planId: randomUUID() }
  const results = await Promise.all([...batch, repeat].map(async (a) => await store.write(a)))
  t.same(results.slice(0, 10).map((r) => r.outcome), Array(10).fill('created'))
  t.equal(results[10]!.outcome, 'replay', 'the repeated key waits for the batch and replays')
  t.equal(results[10]!.answer.body, results[3]!.answer.body)
  t.equal(statements, 2, 'one batch statement, then the repeat on its own')

  statements = 0
  const contexts = await Promise.all(batch.map(async (a) => await store.load({ tenantId: a.plan.tenantId, key: a.key, quoteId: a.plan.quoteId })))
  t.equal(statements, 1, 'lookups made in one turn share one query')
  t.ok(contexts.every((c, i) => c.quote !== undefined && c.answered?.statusCode === 201 && c.answered.body === results[i]!.answer.body), 'each lookup gets its own quote and answer, in order')
  const missing = await store.load({ tenantId: batch[0]!.plan.tenantId, key: randomUUID(), quoteId: randomUUID() })
  t.same([missing.quote, missing.answered], [undefined, undefined])
})
