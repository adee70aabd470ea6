import { randomUUID } from 'node:crypto'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import pg from 'pg'
import t, { type Test } from 'tap'
import { recordPlanEvents } from '../../src/db/events-repository.js'
import { EventDataSchema } from '../../src/schemas/event.js'
import { PaymentSchema } from '../../src/schemas/payment.js'
import { sweep } from '../../src/services/sweep.js'
import { buildTestApp } from '../helpers/app.js'
import { settableClock } from '../helpers/clock.js'
import { createQuote } from '../helpers/quotes.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

interface EventItem { id: string, type: string, createdAt: string, data: { plan: { id: string, status: string }, position: null | { status: string, outstanding: string }, payment: null | { id: string, reversedAt: string | null }, installment: null | { number: number } } }
interface EventPage { items: EventItem[], nextCursor: string | null, hasMore: boolean }

async function setup (t: Test) {
  const clock = settableClock()
  const built = await buildTestApp(t, { clock })
  const { app, pool } = built
  const { headers, tenantId } = await built.tenant()
  async function plan (loanId = `L-${randomUUID().slice(0, 8)}`) {
    const quote = await createQuote(app, headers, loanId, { balance: '3000.00', overdueDays: 20 })
    const accepted = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': randomUUID() }, payload: { quoteId: quote.id, optionId: 'installment-annuity-3' } })
    if (accepted.statusCode !== 201) throw new Error(accepted.body)
    const body = accepted.json() as { id: string, createdAt: string, schedule: Array<{ dueDate: string, payment: string }> }
    const acceptedOn = new Date(Date.parse(body.createdAt) + 8 * 3_600_000).toISOString().slice(0, 10)
    clock.at(acceptedOn)
    return { ...body, acceptedOn }
  }
  const pay = async (planId: string, payload: Record<string, unknown>) => await app.inject({ method: 'POST', url: `/v1/plans/${planId}/payments`, headers, payload })
  const events = async (query = '', h = headers): Promise<EventPage> => {
    const res = await app.inject({ method: 'GET', url: `/v1/events${query}`, headers: h })
    if (res.statusCode !== 200) throw new Error(res.body)
    return res.json()
  }
  /** Every event, page by page, as a poller reads them. */
  const poll = async (after?: string, limit = 2): Promise<{ items: EventItem[], cursor: string | undefined }> => {
    const items: EventItem[] = []
    let cursor = after
    for (;;) {
      const page = await events(`?limit=${limit}${cursor === undefined ? '' : `&after=${cursor}`}`)
      items.push(...page.items)
      cursor = page.nextCursor ?? undefined
      if (!page.hasMore) return { items, cursor }
    }
  }
  return { app, pool, clock, headers, built, tenantId, plan, pay, events, poll }
}

t.test('every change writes its event with it; a poller reads each once, in order', async (t) => {
  const { app, pool, headers, built, tenantId, plan, pay, events, poll, clock } = await setup(t)
  const p = await plan()
  const [first] = p.schedule
  clock.at(first!.dueDate)
  const paid = await pay(p.id, { reference: 'E-1', amount: first!.payment, receivedOn: first!.dueDate })
  t.equal(paid.statusCode, 201, paid.body)
  const paymentId = paid.json().payment.id as string
  t.equal((await pay(p.id, { reference: 'E-1', amount: first!.payment, receivedOn: first!.dueDate })).headers['idempotent-replayed'], 'true')
  t.equal((await pay(p.id, { reference: 'E-2', amount: '99999999.00', receivedOn: first!.dueDate })).statusCode, 422, 'a refused payment')
  const reversed = await app.inject({ method: 'POST', url: `/v1/plans/${p.id}/payments/${paymentId}/reversal`, headers, payload: { reason: 'bounced' } })
  t.equal(reversed.statusCode, 200, reversed.body)
  const payoff = (await app.inject({ method: 'GET', url: `/v1/plans/${p.id}/payoff?asOf=${first!.dueDate}`, headers })).json()
  t.equal((await pay(p.id, { reference: 'E-3', amount: payoff.amount, receivedOn: first!.dueDate })).statusCode, 201)
  const q = await plan()
  t.equal((await app.inject({ method: 'POST', url: `/v1/plans/${q.id}/cancel`, headers, payload: { reason: 'wrong option' } })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: `/v1/plans/${q.id}/cancel`, headers, payload: { reason: 'again' } })).statusCode, 200, 'cancelling again changes nothing')

  const all = await events()
  t.same(all.items.map((e) => [e.type, e.data.plan.id]), [
    ['plan.accepted', p.id], ['plan.payment_recorded', p.id], ['plan.payment_reversed', p.id], ['plan.payment_recorded', p.id],
    ['plan.completed', p.id], ['plan.accepted', q.id], ['plan.cancelled', q.id]
  ], 'one event per change, none for replays and refusals, in commit order')
  t.equal(all.hasMore, false)
  t.match(all.items[1]!.data, { plan: { status: 'active' }, position: { status: 'active' }, payment: { id: paymentId, reversedAt: null }, installment: null })
  t.match(all.items[2]!.data, { payment: { id: paymentId, reversedAt: String }, position: { status: 'active' } })
  t.match(all.items[4]!.data, { plan: { status: 'completed' }, position: { status: 'completed', outstanding: '0.00' } })
  t.match(all.items[6]!.data, { plan: { status: 'cancelled' }, position: null, payment: null })
  t.same(all.items[1]!.data.payment, paid.json().payment, "the payment as the payment's answer showed it")

  // What is stored is exactly the schema's shape, unknown keys included: webhooks send it as stored.
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }))
  ajv.addSchema(PaymentSchema)
  const valid = ajv.compile(EventDataSchema)
  for (const { data, type } of (await pool.query('SELECT data, type FROM events WHERE tenant_id = $1', [tenantId])).rows) {
    t.ok(valid(data), `${type as string} data matches EventDataSchema ${JSON.stringify(valid.errors)}`)
  }

  const polled = await poll()
  t.same(polled.items.map((e) => e.id), all.items.map((e) => e.id), 'pages of two, cursor to cursor: every event once, in order')
  const idle = await events(`?after=${polled.cursor!}`)
  t.same([idle.items, idle.nextCursor, idle.hasMore], [[], polled.cursor, false], 'nothing new: the same cursor back, to poll again')
  clock.at(p.schedule[2]!.dueDate)
  const r = await plan()
  const next = await events(`?after=${polled.cursor!}`)
  t.same(next.items.map((e) => [e.type, e.data.plan.id]), [['plan.accepted', r.id]], 'the next poll starts right after the last event seen')
  t.same((await events('?type=plan.cancelled')).items.map((e) => e.data.plan.id), [q.id], 'type filter')

  const other = await built.tenant()
  t.same((await events('', other.headers)).items, [], 'another tenant sees none of these events')
  const bad = await app.inject({ method: 'GET', url: '/v1/events?after=bm90LWEtY3Vyc29y', headers })
  t.same([bad.statusCode, bad.json().type, bad.json().errors], [400, '/problems/invalid-cursor', [{ path: '/querystring/after', message: 'is not a valid cursor' }]])
  t.equal((await app.inject({ method: 'GET', url: '/v1/events?type=plan.exploded', headers })).statusCode, 400)
  t.equal((await app.inject({ method: 'GET', url: '/v1/events?limit=501', headers })).statusCode, 400)
})

t.test('an event committed late is not skipped: the list stops before any transaction still running', async (t) => {
  const { built, tenantId, plan, pay, events, poll } = await setup(t)
  const p = await plan()
  const q = await plan()
  const { cursor } = await poll()
  // A transaction that writes an event and stays open: it holds an older place in the order.
  const slow = new pg.Client({ connectionString: built.database.url })
  await slow.connect()
  t.teardown(async () => { await slow.end() })
  await slow.query('BEGIN')
  await slow.query("UPDATE plans SET cancel_reason = 'held' WHERE tenant_id = $1 AND plan_id = $2", [tenantId, q.id])
  await recordPlanEvents(slow, [{ tenantId, planId: q.id, type: 'plan.cancelled' }])
  t.equal((await pay(p.id, { reference: 'LATE-1', amount: '10.00', receivedOn: p.acceptedOn })).statusCode, 201)
  const meanwhile = await events(`?after=${cursor!}`)
  t.same(meanwhile.items, [], 'the payment committed, but its event waits behind the open transaction')
  t.equal(meanwhile.nextCursor, cursor, 'and the cursor stays where it was')
  await slow.query('COMMIT')
  const after = await events(`?after=${cursor!}`)
  t.same(after.items.map((e) => e.type), ['plan.cancelled', 'plan.payment_recorded'], 'both, the older transaction first')
})

t.test('many writers, one poller: every committed change has its event, each polled once, in order', async (t) => {
  const { pool, tenantId, plan, pay, poll } = await setup(t)
  const plans = []
  for (let i = 0; i < 4; i++) plans.push(await plan())
  const seen: EventItem[] = []
  let cursor: string | undefined
  const writing = { done: false }
  const poller = (async () => {
    while (!writing.done || seen.length === 0) {
      const page = await poll(cursor, 7)
      seen.push(...page.items)
      cursor = page.cursor
    }
  })()
  const answers = await Promise.all(plans.flatMap((p) => Array.from({ length: 5 }, async (_, i) =>
    await pay(p.id, { reference: `MW-${p.id}-${i}`, amount: '10.00', receivedOn: p.acceptedOn }))))
  writing.done = true
  await poller
  const rest = await poll(cursor, 7)
  seen.push(...rest.items)
  t.same(answers.map((a) => a.statusCode), Array(20).fill(201), answers.find((a) => a.statusCode !== 201)?.body ?? 'all booked')
  const stored = (await pool.query('SELECT event_id::text AS id FROM events WHERE tenant_id = $1 ORDER BY tx_id, seq', [tenantId])).rows.map((r) => r.id)
  t.equal(new Set(seen.map((e) => e.id)).size, seen.length, 'no event twice')
  t.same(seen.map((e) => e.id), stored, 'every stored event, in the one order')
  const booked = (await pool.query('SELECT count(*)::int AS n FROM payments WHERE tenant_id = $1', [tenantId])).rows[0].n
  t.equal(seen.filter((e) => e.type === 'plan.payment_recorded').length, booked, 'one event per booked payment')
})

t.test('the sweep announces each missed installment once, then the break; a payment announces a miss the sweep has not', async (t) => {
  const { app, pool, plan, pay, events, clock } = await setup(t)
  const swept = await plan()
  const paying = await plan()
  const [first, second] = swept.schedule
  const types = async (planId: string) => (await events('?limit=500')).items.filter((e) => e.data.plan.id === planId).map((e) => e.type + (e.data.installment === null ? '' : `#${e.data.installment.number}`))

  // The first miss is past when a payment comes to one plan: that payment announces it.
  const late = addDays(first!.dueDate, 8)
  clock.at(late)
  t.equal((await pay(paying.id, { reference: 'P-LATE', amount: '10.00', receivedOn: late })).statusCode, 201)
  t.same(await types(paying.id), ['plan.accepted', 'plan.payment_recorded', 'plan.installment_missed#1'])

  await sweep(pool, app.servicing, late)
  t.same(await types(swept.id), ['plan.accepted', 'plan.installment_missed#1'], 'grace over: the sweep announces the first miss')
  t.same(await types(paying.id), ['plan.accepted', 'plan.payment_recorded', 'plan.installment_missed#1'], 'and does not repeat the one a payment announced')
  await sweep(pool, app.servicing, addDays(late, 1))
  t.same(await types(swept.id), ['plan.accepted', 'plan.installment_missed#1'], 'announced once')
  await sweep(pool, app.servicing, addDays(second!.dueDate, 6))
  t.same(await types(swept.id), ['plan.accepted', 'plan.installment_missed#1', 'plan.installment_missed#2', 'plan.broken'], 'a second miss breaks the plan (one allowed)')
  const broken = (await events('?type=plan.broken')).items.find((e) => e.data.plan.id === swept.id)!
  t.match(broken.data, { plan: { status: 'broken' }, position: { status: 'broken' } })
  t.same((await pool.query('SELECT missed_installments FROM plans WHERE plan_id = $1', [swept.id])).rows[0].missed_installments, [1, 2])
})

t.test('a plan found broken long after its break announces the misses up to the break, not the ones after it', async (t) => {
  const { app, pool, plan, events } = await setup(t)
  const behind = await plan()
  const [, second, third] = behind.schedule
  const types = async () => (await events('?limit=500')).items.filter((e) => e.data.plan.id === behind.id).map((e) => e.type + (e.data.installment === null ? '' : `#${e.data.installment.number}`))
  // First swept when all three installments are past their grace: it broke on the second miss.
  await sweep(pool, app.servicing, addDays(third!.dueDate, 6))
  t.same(await types(), ['plan.accepted', 'plan.installment_missed#1', 'plan.installment_missed#2', 'plan.broken'], 'the third miss came after the break: not announced')
  const broken = (await events('?type=plan.broken')).items.find((e) => e.data.plan.id === behind.id)!
  const data = broken.data as unknown as { plan: { brokenAt: string }, position: { missedInstallments: number } }
  t.equal(data.plan.brokenAt, addDays(second!.dueDate, 6), 'broke when the second grace ended')
  t.equal(data.position.missedInstallments, 3, 'the position still counts every miss')
})

t.test('events older than EVENT_RETENTION_DAYS are pruned', async (t) => {
  const { app, pool, tenantId, plan, events } = await setup(t)
  const old = await plan()
  const recent = await plan()
  await t.rejects(pool.query("UPDATE events SET created_at = now() - interval '31 days' WHERE tenant_id = $1 AND plan_id = $2", [tenantId, old.id]),
    { message: /events are immutable/ }, 'no statement changes an event')
  // Aged around the guard, as only the tables' owner can (this test's own database).
  await pool.query('ALTER TABLE events DISABLE TRIGGER events_immutable')
  await pool.query("UPDATE events SET created_at = now() - interval '31 days' WHERE tenant_id = $1 AND plan_id = $2", [tenantId, old.id])
  await pool.query('ALTER TABLE events ENABLE TRIGGER events_immutable')
  await app.pruneExpired()
  t.same((await events()).items.map((e) => e.data.plan.id), [recent.id], 'the 31-day-old event is gone (default 30 days), the recent one stays')
})
