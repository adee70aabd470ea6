import { createHash, randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import type pg from 'pg'
import { acceptPlans, refusalBody, type AcceptResult, type PlanAcceptance } from '../../src/db/acceptance-repository.js'
import { Acceptances } from '../../src/db/acceptances.js'
import type { Queryable } from '../../src/db/pool.js'
import { insertQuotes } from '../../src/db/quotes-repository.js'
import { buildTestApp } from '../helpers/app.js'

const RETENTION_HOURS = 48

// A stored option as the engine writes it; the plan and its schedule are copied from here.
function storedOption (months: number) {
  const schedule = Array.from({ length: months }, (_, i) => ({ number: i + 1, dueDate: `2030-0${i + 1}-15`, payment: '10.00', principal: '10.00', interest: '0.00', balance: (10 * (months - i - 1)).toFixed(2) }))
  return {
    id: 'settlement', type: 'settlement', termMonths: null, method: null, holidayMonths: null, amountFinanced: (10 * months).toFixed(2), schedule,
    totalRepayable: (10 * months).toFixed(2), totalInterest: '0.00', penaltyWaived: '0.00', discount: '0.00', capitalizedInterest: '0.00',
    maxPayment: '10.00', firstPaymentDate: '2030-01-15', apr: '0.0000', paymentToIncome: null, affordable: null, summary: 'Pay.'
  }
}

async function setup (t: Test) {
  const { pool, tenant } = await buildTestApp(t)
  const { tenantId } = await tenant()
  const now = new Date()
  async function quote (loanId: string, months = 2): Promise<string> {
    const quoteId = randomUUID()
    await insertQuotes(pool, [{ tenantId, quoteId, loanId, policyName: 'standard', policyVersion: 1, currency: 'CNY', createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + 86_400_000).toISOString(), body: '{}', options: JSON.stringify([storedOption(months)]) }])
    return quoteId
  }
  function acceptance (quoteId: string, key = randomUUID()): PlanAcceptance {
    const planId = randomUUID()
    return {
      tenantId,
      key,
      requestHash: createHash('sha256').update(key).digest(),
      planId,
      quoteId,
      optionId: 'settlement',
      acceptedBy: null,
      channel: null,
      note: null,
      createdAt: now.toISOString(),
      createdBody: JSON.stringify({ id: planId }),
      conflictBody: refusalBody('taken by MARK', { existingPlanId: 'MARK' }),
      conflictMarker: 'MARK'
    }
  }
  const installments = async (planId: string) => (await pool.query('SELECT count(*)::int AS n FROM plan_installments WHERE tenant_id = $1 AND plan_id = $2', [tenantId, planId])).rows[0].n as number
  return { pool, tenantId, quote, acceptance, installments }
}

const kind = (r: AcceptResult) => r.created ? 'created' : r.fresh ? `refused:${r.answer.outcome === 'refused' ? r.answer.code : ''}` : `replay:${r.answer.outcome === 'refused' ? r.answer.code : 'created'}`

t.test('one statement applies the acceptance rules to each acceptance of a batch', async (t) => {
  const { pool, tenantId, quote, acceptance, installments } = await setup(t)
  const qa = await quote('A')
  const qb = await quote('B', 3)
  const a1 = acceptance(qa)
  const a2 = acceptance(qa) // the same loan under another key
  const b = acceptance(qb)
  const results = await acceptPlans(pool, [a1, a2, b], RETENTION_HOURS)
  t.same(results.map(kind), ['created', 'refused:active-plan-exists', 'created'])
  const refused = results[1]!
  t.same(!refused.created && refused.answer.outcome === 'refused' && [refused.answer.detail, refused.answer.extensions], ['taken by ' + a1.planId, { existingPlanId: a1.planId }], 'the refusal names the plan created in the same batch')
  t.equal(await installments(a1.planId), 2, 'the schedule is copied from the stored option')
  t.equal(await installments(b.planId), 3)
  t.equal(await installments(a2.planId), 0, 'nothing written for the refused acceptance')
  const { rows: [plan] } = await pool.query('SELECT loan_id, option_type, amount_financed::text, total_repayable::text FROM plans WHERE plan_id = $1', [b.planId])
  t.same(plan, { loan_id: 'B', option_type: 'settlement', amount_financed: '30.00', total_repayable: '30.00' }, "the plan's terms come from the stored quote")

  // The same keys again (a retry of the whole batch): every answer replays, nothing new is written.
  const again = await acceptPlans(pool, [{ ...a1, planId: randomUUID() }, a2, b], RETENTION_HOURS)
  t.same(again.map(kind), ['replay:created', 'replay:active-plan-exists', 'replay:created'])
  const first = again[0]!
  t.ok(!first.created && first.answer.requestHash.equals(a1.requestHash), 'the stored request hash comes back for the replay check')
  t.same(!first.created && first.answer.outcome === 'created' && [first.answer.planId, first.answer.body], [a1.planId, a1.createdBody], 'the created plan replays with its first document')
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM plans WHERE tenant_id = $1', [tenantId])
  t.equal(rows[0].n, 2)

  // A key past its retention is claimed afresh.
  await pool.query("UPDATE idempotency_keys SET created_at = now() - interval '49 hours' WHERE tenant_id = $1 AND key = $2", [tenantId, a2.key])
  await pool.query("UPDATE plans SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'test' WHERE plan_id = $1", [a1.planId])
  const fresh = await acceptPlans(pool, [a2], RETENTION_HOURS)
  t.same(fresh.map(kind), ['created'], 'the expired key is reused for a new acceptance')
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

t.test('each new key is written once, with its answer; only a refused one is rewritten', async (t) => {
  const { pool, quote, acceptance } = await setup(t)
  const qa = await quote('OA')
  const batch = [acceptance(qa), acceptance(qa), acceptance(await quote('OB')), acceptance(await quote('OC'))]
  const { result: results, writes } = await keyWritesDuring(pool, async (client) => await acceptPlans(client, batch, RETENTION_HOURS))
  t.same(results.map(kind), ['created', 'refused:active-plan-exists', 'created', 'created'])
  t.same(writes, { inserted: 4, updated: 1 }, 'four keys inserted; only the refusal updated')
  const { rows } = await pool.query('SELECT key, outcome, response_body AS body, plan_id AS "planId" FROM idempotency_keys WHERE key = ANY ($1)', [batch.map((a) => a.key)])
  t.same(rows.filter((r) => r.outcome === 'created').map((r) => [r.body, r.planId]).sort(), [batch[0]!, batch[2]!, batch[3]!].map((a) => [a.createdBody, a.planId]).sort(), 'the stored created outcomes')
  t.same(JSON.parse(rows.find((r) => r.outcome === 'active-plan-exists')!.body), { detail: `taken by ${batch[0]!.planId}`, extensions: { existingPlanId: batch[0]!.planId } })

  const single = acceptance(await quote('SA'))
  t.same((await keyWritesDuring(pool, async (client) => await acceptPlans(client, [single], RETENTION_HOURS))).writes, { inserted: 1, updated: 0 }, 'a batch of one: one insert, no update')
  t.same((await keyWritesDuring(pool, async (client) => await acceptPlans(client, [acceptance(single.quoteId)], RETENTION_HOURS))).writes, { inserted: 1, updated: 1 }, 'refused alone: the claim is rewritten once')
})

t.test('a failed batch writes nothing, and each acceptance is retried alone', async (t) => {
  const { pool, tenantId, quote, acceptance, installments } = await setup(t)
  const good1 = acceptance(await quote('G1'))
  const bad = { ...acceptance(await quote('X')), acceptedBy: 'x'.repeat(10), createdAt: 'not a time' } // a data error
  const good2 = acceptance(await quote('G2'))
  await t.rejects(acceptPlans(pool, [good1, bad, good2], RETENTION_HOURS), { code: '22007' })
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
  const batch = quotes.map((q) => acceptance(q))
  const repeat = { ...batch[3]!, planId: randomUUID() }
  const results = await Promise.all([...batch, repeat].map(async (a) => await store.write(a)))
  t.same(results.slice(0, 10).map(kind), Array(10).fill('created'))
  t.equal(kind(results[10]!), 'replay:created', 'the repeated key waits for the batch and replays')
  t.equal(statements, 2, 'one batch statement, then the repeat on its own')

  statements = 0
  const contexts = await Promise.all(batch.map(async (a) => await store.load({ tenantId: a.tenantId, key: a.key, quoteId: a.quoteId, optionId: 'settlement' })))
  t.equal(statements, 1, 'lookups made in one turn share one query')
  t.ok(contexts.every((c, i) => c.quote?.option !== null && c.answered?.outcome === 'created' && c.answered.planId === batch[i]!.planId), 'each lookup gets its own quote, option and answer, in order')
  t.same(JSON.parse(contexts[0]!.quote!.option!), storedOption(2), 'the option is selected by id in SQL')
  const unknown = await store.load({ tenantId: batch[0]!.tenantId, key: randomUUID(), quoteId: quotes[0]!, optionId: 'nope' })
  t.same([unknown.quote?.option, unknown.quote?.offered], [null, ['settlement']], 'an unknown option: null, with the ids on offer')
  const missing = await store.load({ tenantId: batch[0]!.tenantId, key: randomUUID(), quoteId: randomUUID(), optionId: 'settlement' })
  t.same([missing.quote, missing.answered], [undefined, undefined])
})
