import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { settableClock } from '../helpers/clock.js'
import { createQuote } from '../helpers/quotes.js'
import { sweep } from '../../src/services/sweep.js'

interface Row { number: number, dueDate: string, payment: string, principal: string, interest: string, state?: string, paidPrincipal?: string, paidOn?: string | null }

async function setup (t: Test) {
  const clock = settableClock()
  const built = await buildTestApp(t, { clock })
  const { app, pool } = built
  const { headers, tenantId } = await built.tenant()
  /** A three-month annuity plan on a fresh loan; the clock stands on its acceptance day. */
  async function plan (loanId = `L-${randomUUID().slice(0, 8)}`) {
    const quote = await createQuote(app, headers, loanId, { balance: '3000.00', overdueDays: 20 })
    const accepted = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': randomUUID() }, payload: { quoteId: quote.id, optionId: 'installment-annuity-3' } })
    if (accepted.statusCode !== 201) throw new Error(accepted.body)
    const body = accepted.json() as { id: string, createdAt: string, totalRepayable: string, penaltyWaived: string, schedule: Row[] }
    const acceptedOn = new Date(Date.parse(body.createdAt) + 8 * 3_600_000).toISOString().slice(0, 10)
    clock.at(acceptedOn)
    return { ...body, acceptedOn }
  }
  const pay = async (planId: string, payload: Record<string, unknown>, h = headers) =>
    await app.inject({ method: 'POST', url: `/v1/plans/${planId}/payments`, headers: h, payload })
  const read = async (planId: string, asOf?: string) =>
    (await app.inject({ method: 'GET', url: `/v1/plans/${planId}${asOf === undefined ? '' : `?asOf=${asOf}`}`, headers })).json()
  const count = async () => (await pool.query('SELECT count(*)::int AS n FROM payments WHERE tenant_id = $1', [tenantId])).rows[0].n as number
  return { app, pool, clock, headers, built, plan, pay, read, count, tenantId }
}

const cents = (s: string): number => Math.round(Number(s) * 100)

t.test('a payment is allocated oldest installment first, answered with the plan\'s position, and replayed by its reference', async (t) => {
  const { plan, pay, read, clock } = await setup(t)
  const p = await plan()
  const [first, second] = p.schedule
  clock.at(first!.dueDate)
  const res = await pay(p.id, { reference: 'PAY-1', amount: first!.payment, receivedOn: first!.dueDate, channel: 'bank-transfer' })
  t.equal(res.statusCode, 201, res.body)
  const body = res.json()
  t.same(body.payment.allocation.installments, [{ number: 1, fees: '0.00', interest: first!.interest, principal: first!.principal }], 'fees, interest, then principal of the oldest installment')
  t.match(body.plan, { id: p.id, status: 'active', paidTotal: first!.payment, missedInstallments: 0, nextDue: { dueDate: second!.dueDate, amount: second!.payment } })
  t.equal(cents(body.plan.outstanding), cents(p.totalRepayable) - cents(first!.payment), 'outstanding = total repayable − paid')

  const again = await pay(p.id, { reference: 'PAY-1', amount: first!.payment, receivedOn: first!.dueDate, channel: 'bank-transfer' })
  t.same([again.statusCode, again.headers['idempotent-replayed'], again.body], [201, 'true', res.body], 'same reference and body: the first answer, byte for byte')
  const other = await pay(p.id, { reference: 'PAY-1', amount: '1.00', receivedOn: first!.dueDate })
  t.same([other.statusCode, other.json().type], [409, '/problems/payment-reference-conflict'])

  const plan1 = await read(p.id)
  t.match(plan1.schedule[0], { state: 'paid', paidOn: first!.dueDate, paidPrincipal: first!.principal, paidInterest: first!.interest })
  t.match(plan1.schedule[1], { state: 'upcoming', paidPrincipal: '0.00' })
})

t.test('bad payments are clear problems and nothing is stored', async (t) => {
  const { plan, pay, count, built, app, headers, clock } = await setup(t)
  const p = await plan()
  const day = p.acceptedOn
  const cases: Array<[Record<string, unknown>, number, string]> = [
    [{ reference: 'B1', amount: '0', receivedOn: day }, 400, '/problems/validation'],
    [{ reference: 'B2', amount: '0.00', receivedOn: day }, 400, '/problems/validation'],
    [{ reference: 'B3', amount: '1.234', receivedOn: day }, 400, '/problems/validation'],
    [{ reference: 'B4', amount: '-5.00', receivedOn: day }, 400, '/problems/validation'],
    [{ reference: 'B5', amount: '10.00', receivedOn: '2026-02-30' }, 400, '/problems/validation'],
    [{ reference: 'x'.repeat(65), amount: '10.00', receivedOn: day }, 400, '/problems/validation'],
    [{ reference: 'B6', amount: '99999999.00', receivedOn: day }, 422, '/problems/overpayment'],
    [{ reference: 'B7', amount: '10.00', receivedOn: '2099-01-01' }, 422, '/problems/received-on-out-of-range'],
    [{ reference: 'B8', amount: '10.00', receivedOn: '2020-01-01' }, 422, '/problems/received-on-out-of-range']
  ]
  for (const [payload, status, type] of cases) {
    const res = await pay(p.id, payload)
    t.same([res.statusCode, res.headers['content-type'], res.json().type], [status, 'application/problem+json; charset=utf-8', type], `${JSON.stringify(payload)} → ${status}`)
  }
  const over = await pay(p.id, { reference: 'B9', amount: '99999999.00', receivedOn: day })
  const payoff = (await app.inject({ method: 'GET', url: `/v1/plans/${p.id}/payoff?asOf=${day}`, headers })).json()
  t.equal(over.json().maxAmount, payoff.amount, 'an overpayment names the most the plan can take that day: its payoff')
  t.equal((await pay(randomUUID(), { reference: 'B10', amount: '10.00', receivedOn: day })).statusCode, 404, 'unknown plan')
  const other = await built.tenant()
  t.equal((await pay(p.id, { reference: 'B11', amount: '10.00', receivedOn: day }, other.headers)).statusCode, 404, "another tenant's plan is not found")
  await app.inject({ method: 'POST', url: `/v1/plans/${p.id}/cancel`, headers, payload: { reason: 'test' } })
  clock.at(day)
  const cancelled = await pay(p.id, { reference: 'B12', amount: '10.00', receivedOn: day })
  t.same([cancelled.statusCode, cancelled.json().type], [409, '/problems/plan-not-active'])
  t.equal(await count(), 0, 'nothing was stored')
})

t.test('paying the payoff amount completes the plan early; a reversal reopens it', async (t) => {
  const { plan, pay, read, clock, app, headers } = await setup(t)
  const p = await plan()
  const first = p.schedule[0]!
  clock.at(first.dueDate)
  t.equal((await pay(p.id, { reference: 'R-1', amount: first.payment, receivedOn: first.dueDate })).statusCode, 201)
  const mid = new Date(Date.parse(first.dueDate) + 10 * 86_400_000).toISOString().slice(0, 10)
  clock.at(mid)
  const payoff = (await app.inject({ method: 'GET', url: `/v1/plans/${p.id}/payoff?asOf=${mid}`, headers })).json()
  t.equal(cents(payoff.amount), cents(payoff.unpaidPrincipal) + cents(payoff.unpaidInterestDue) + cents(payoff.accruedInterest) + cents(payoff.unpaidFees), 'the payoff is the sum of its parts')
  t.ok(cents(payoff.interestWaived) > 0, 'interest not yet earned is forgiven')
  const settled = await pay(p.id, { reference: 'R-2', amount: payoff.amount, receivedOn: mid })
  t.equal(settled.statusCode, 201, settled.body)
  t.match(settled.json(), { payment: { allocation: { settlesPlan: true } }, plan: { status: 'completed', completedAt: mid, outstanding: '0.00' } })
  const listed = await app.inject({ method: 'GET', url: '/v1/plans?status=completed', headers })
  t.same(listed.json().items.map((i: { id: string }) => i.id), [p.id], 'the completion is persisted')

  const reversal = await app.inject({ method: 'POST', url: `/v1/plans/${p.id}/payments/${settled.json().payment.id}/reversal`, headers, payload: { reason: 'bounced' } })
  t.equal(reversal.statusCode, 200, reversal.body)
  t.match(reversal.json(), { payment: { reversalReason: 'bounced', allocation: null }, plan: { status: 'active', paidTotal: first.payment } })
  const twice = await app.inject({ method: 'POST', url: `/v1/plans/${p.id}/payments/${settled.json().payment.id}/reversal`, headers, payload: { reason: 'again' } })
  t.same([twice.statusCode, twice.headers['idempotent-replayed'], twice.body], [200, 'true', reversal.body], 'a second reversal replays')
  t.equal((await read(p.id)).status, 'active', 'reopened')
  const list = await app.inject({ method: 'GET', url: `/v1/plans/${p.id}/payments?limit=1`, headers })
  t.equal(list.json().items[0].reference, 'R-1', 'oldest first')
  const next = await app.inject({ method: 'GET', url: `/v1/plans/${p.id}/payments?limit=1&cursor=${list.json().nextCursor}`, headers })
  t.same([next.json().items[0].reference, next.json().nextCursor], ['R-2', null])
  const one = await app.inject({ method: 'GET', url: `/v1/plans/${p.id}/payments/${settled.json().payment.id}`, headers })
  t.match(one.json(), { reference: 'R-2', reversedAt: String, allocation: null })
})

t.test('two misses break the plan: the waived penalty is reinstated, payments are refused, the sweep persists it', async (t) => {
  const { plan, pay, read, clock, app, headers } = await setup(t)
  const p = await plan()
  const [first, second] = p.schedule
  const afterSecondGrace = new Date(Date.parse(second!.dueDate) + 6 * 86_400_000).toISOString().slice(0, 10)
  const beforeFirstGrace = new Date(Date.parse(first!.dueDate) + 5 * 86_400_000).toISOString().slice(0, 10)
  t.match(await read(p.id, beforeFirstGrace), { status: 'active', missedInstallments: 0, schedule: [{ state: 'overdue' }] }, 'overdue within the grace days')
  const broken = await read(p.id, afterSecondGrace)
  t.match(broken, { status: 'broken', brokenAt: afterSecondGrace, missedInstallments: 2, reinstatedPenalty: p.penaltyWaived, schedule: [{ state: 'missed' }, { state: 'missed' }] })
  t.equal(cents(broken.outstanding), cents(p.totalRepayable) + cents(p.penaltyWaived), 'the reinstated penalty is owed')
  clock.at(afterSecondGrace)
  const refused = await pay(p.id, { reference: 'LATE', amount: first!.payment, receivedOn: afterSecondGrace })
  t.same([refused.statusCode, refused.json().type], [409, '/problems/plan-not-active'])
  t.equal((await app.inject({ method: 'GET', url: '/v1/plans?status=broken', headers })).json().items.length, 0, 'not persisted before the sweep')
  const swept = await sweep(app.db, app.servicing, afterSecondGrace)
  t.equal(swept.changed, 1, 'the sweep persists the break')
  t.same((await app.inject({ method: 'GET', url: '/v1/plans?status=broken', headers })).json().items.map((i: { id: string }) => i.id), [p.id])
})

t.test('concurrent payments on one plan: distinct references all book once; one reference books once', async (t) => {
  const { plan, pay, read, clock, pool } = await setup(t)
  const p = await plan()
  clock.at(p.schedule[0]!.dueDate)
  const day = p.schedule[0]!.dueDate
  const distinct = await Promise.all(Array.from({ length: 20 }, async (_, i) => await pay(p.id, { reference: `C-${i}`, amount: '10.00', receivedOn: day })))
  t.same(distinct.map((r) => r.statusCode), Array(20).fill(201))
  const same = await Promise.all(Array.from({ length: 20 }, async () => await pay(p.id, { reference: 'ONE', amount: '5.00', receivedOn: day })))
  t.same(same.map((r) => r.statusCode), Array(20).fill(201))
  t.equal(new Set(same.map((r) => r.body)).size, 1, 'every answer identical')
  const { rows } = await pool.query('SELECT count(*)::int AS n, sum(amount)::text AS total FROM payments WHERE plan_id = $1', [p.id])
  t.same(rows[0], { n: 21, total: '205.00' })
  const state = await read(p.id)
  t.equal(state.paidTotal, '205.00', 'each allocated once, totals exact')
})

t.test('a payment racing a cancel books before it or is refused; a payment racing a reversal allocates as a serial replay', async (t) => {
  const { plan, pay, read, clock, app, headers, pool } = await setup(t)
  const a = await plan()
  clock.at(a.acceptedOn)
  const [paid, cancelled] = await Promise.all([
    pay(a.id, { reference: 'RACE-1', amount: '50.00', receivedOn: a.acceptedOn }),
    app.inject({ method: 'POST', url: `/v1/plans/${a.id}/cancel`, headers, payload: { reason: 'race' } })
  ])
  t.equal(cancelled.statusCode, 200)
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM payments WHERE plan_id = $1', [a.id])
  if (paid.statusCode === 201) t.equal(rows[0].n, 1, 'booked before the cancel, and kept')
  else t.same([paid.statusCode, paid.json().type, rows[0].n], [409, '/problems/plan-not-active', 0], 'refused after the cancel, nothing written')
  t.equal((await read(a.id)).status, 'cancelled')

  const b = await plan()
  clock.at(b.acceptedOn)
  const first = (await pay(b.id, { reference: 'RV-1', amount: '40.00', receivedOn: b.acceptedOn })).json()
  const [reversed, second] = await Promise.all([
    app.inject({ method: 'POST', url: `/v1/plans/${b.id}/payments/${first.payment.id}/reversal`, headers, payload: { reason: 'bounced' } }),
    pay(b.id, { reference: 'RV-2', amount: '30.00', receivedOn: b.acceptedOn })
  ])
  t.same([reversed.statusCode, second.statusCode], [200, 201])
  const state = await read(b.id)
  t.equal(state.paidTotal, '30.00', 'only the payment that stands is allocated')
  const view = (await app.inject({ method: 'GET', url: `/v1/plans/${b.id}/payments/${second.json().payment.id}`, headers })).json()
  t.equal(view.allocation.installments.length, 1)
  t.equal(cents(view.allocation.installments[0].interest) + cents(view.allocation.installments[0].principal), 3000, 'as if the reversed payment never happened: all 30.00 on the first installment')
})
