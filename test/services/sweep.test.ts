import { randomUUID } from 'node:crypto'
import pg from 'pg'
import t, { type Test } from 'tap'
import { sweep } from '../../src/services/sweep.js'
import { buildTestApp } from '../helpers/app.js'
import { settableClock } from '../helpers/clock.js'
import { runNode } from '../helpers/process.js'
import { createQuote } from '../helpers/quotes.js'

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

type TestApp = Awaited<ReturnType<typeof buildTestApp>>['app']
interface AcceptedPlan { id: string, schedule: Array<{ dueDate: string, payment: string }> }

/** Accepts a three-installment plan for a new loan `loanId`. */
async function acceptPlan (t: Test, app: TestApp, headers: Record<string, string>, loanId: string): Promise<AcceptedPlan> {
  const quote = await createQuote(app, headers, loanId, { balance: '3000.00', overdueDays: 20 })
  const res = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': randomUUID() }, payload: { quoteId: quote.id, optionId: 'installment-annuity-3' } })
  t.equal(res.statusCode, 201, res.body)
  return res.json()
}

t.test('the sweep persists breaks as of a date, incrementally, one sweep at a time', async (t) => {
  const clock = settableClock()
  const { app, pool, tenant, database } = await buildTestApp(t, { clock })
  const { headers } = await tenant()
  const unpaid = await acceptPlan(t, app, headers, 'SW-1')
  const kept = await acceptPlan(t, app, headers, 'SW-2')
  const [first, second] = kept.schedule
  for (const [i, row] of [first!, second!].entries()) {
    clock.at(row.dueDate)
    const paid = await app.inject({ method: 'POST', url: `/v1/plans/${kept.id}/payments`, headers, payload: { reference: `SW-2-${i}`, amount: row.payment, receivedOn: row.dueDate } })
    t.equal(paid.statusCode, 201, paid.body)
  }
  const breakDay = addDays(second!.dueDate, 6)
  const status = async (id: string) => (await pool.query('SELECT status, broken_on::text AS "brokenOn", xmin::text AS version FROM plans WHERE plan_id = $1', [id])).rows[0]

  const before = await status(kept.id)
  const early = await sweep(pool, app.servicing, addDays(first!.dueDate, 1))
  t.same([early.ran, early.changed], [true, 0], 'nothing breaks before a grace period ends')

  const result = await sweep(pool, app.servicing, breakDay)
  t.same([result.ran, result.changed], [true, 1], 'one plan broke')
  t.match(await status(unpaid.id), { status: 'broken', brokenOn: breakDay })
  const after = await status(kept.id)
  t.equal(after.status, 'active')
  t.equal(after.version, before.version, 'a plan with nothing due is not rewritten')
  const read = (await app.inject({ method: 'GET', url: `/v1/plans/${unpaid.id}?asOf=${breakDay}`, headers })).json()
  t.same([read.status, read.brokenAt], ['broken', breakDay], 'reading the plan for that date agrees with what the sweep persisted')

  const again = await sweep(pool, app.servicing, breakDay)
  t.same([again.examined, again.changed], [0, 0], 'the next sweep of the same date looks at nothing')

  const holder = new pg.Client({ connectionString: database.url })
  await holder.connect()
  await holder.query('SELECT pg_advisory_lock(7301998232)')
  t.same(await sweep(pool, app.servicing, breakDay), { ran: false, examined: 0, changed: 0, failed: [] }, 'another sweep holds the lock: this one steps aside')
  await holder.end()

  const cli = await runNode('dist/cli/sweep.js', ['--as-of', addDays(breakDay, 100)], { DATABASE_URL: database.url })
  t.equal(cli.code, 0, cli.stderr)
  t.match(JSON.parse(cli.stdout), { ran: true, changed: 1 }, '`npm run sweep -- --as-of` breaks the other plan once its third installment is unpaid past the break limit')
  const bad = await runNode('dist/cli/sweep.js', ['--as-of', '2026-02-30'], { DATABASE_URL: database.url })
  t.match([bad.code, bad.stderr], [1, /--as-of takes a date/])
})

t.test('several loops sweeping one tenant side by side settle each due plan once, over many pages', async (t) => {
  const { app, pool, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const ids: string[] = []
  for (let k = 0; k < 9; k++) ids.push((await acceptPlan(t, app, headers, `SWP-${k}`)).id)
  const { rows: [last] } = await pool.query<{ due: string }>('SELECT max(due_date)::text AS due FROM plan_installments WHERE plan_id = ANY($1)', [ids])
  // Long after the last installment: every plan, never paid, has broken.
  const asOf = addDays(last!.due, 200)
  const result = await sweep(pool, app.servicing, asOf, { page: 2, workers: 3 })
  t.same(result, { ran: true, examined: 9, changed: 9, failed: [] }, 'pages of two taken by three loops: each plan examined once')
  const { rows } = await pool.query<{ status: string }>('SELECT status FROM plans WHERE plan_id = ANY($1)', [ids])
  t.same(rows.map((r) => r.status), Array(9).fill('broken'))
  t.same(await sweep(pool, app.servicing, asOf, { page: 2, workers: 3 }), { ran: true, examined: 0, changed: 0, failed: [] }, 'and a second sweep finds nothing')
})

t.test('a plan whose stored data the ledger refuses is named and left as it is; the sweep settles every other plan', async (t) => {
  const clock = settableClock()
  const { app, pool, tenant, database } = await buildTestApp(t, { clock })
  const { headers, tenantId } = await tenant()
  const ids: string[] = []
  for (let k = 0; k < 5; k++) ids.push((await acceptPlan(t, app, headers, `SWX-${k}`)).id)
  const [, corrupt] = ids
  const row = (await app.inject({ method: 'GET', url: `/v1/plans/${corrupt!}`, headers })).json() as { schedule: Array<{ dueDate: string, payment: string }> }
  const first = row.schedule[0]!
  clock.at(first.dueDate)
  const paid = await app.inject({ method: 'POST', url: `/v1/plans/${corrupt!}/payments`, headers, payload: { reference: 'SWX-P', amount: first.payment, receivedOn: first.dueDate } })
  t.equal(paid.statusCode, 201, paid.body)
  // Written around the API (a bad migration, a hand edit): a payment dated before the plan existed.
  await pool.query('UPDATE payments SET received_on = received_on - 400 WHERE plan_id = $1', [corrupt])
  const before = (await pool.query('SELECT status, next_check_on::text AS "nextCheckOn", xmin::text AS version FROM plans WHERE plan_id = $1', [corrupt])).rows[0]
  const { rows: [last] } = await pool.query<{ due: string }>('SELECT max(due_date)::text AS due FROM plan_installments WHERE plan_id = ANY($1)', [ids])
  const asOf = addDays(last!.due, 200)

  const result = await sweep(pool, app.servicing, asOf, { page: 2 })
  t.equal(result.changed, 4, 'the other four plans broke')
  t.equal(result.examined, 5, 'every plan examined, the corrupt one counted once though both loops may meet it')
  t.same(result.failed.map((f) => [f.tenantId, f.planId]), [[tenantId, corrupt]], 'the corrupt plan is named, once')
  t.match(result.failed[0]?.error, /predates the plan's acceptance/)
  const after = (await pool.query('SELECT status, next_check_on::text AS "nextCheckOn", xmin::text AS version FROM plans WHERE plan_id = $1', [corrupt])).rows[0]
  t.same(after, before, 'the corrupt plan is not rewritten')
  const { rows } = await pool.query<{ status: string }>('SELECT status FROM plans WHERE plan_id = ANY($1) AND plan_id <> $2', [ids, corrupt])
  t.same(rows.map((r) => r.status), Array(4).fill('broken'))

  const cli = await runNode('dist/cli/sweep.js', ['--as-of', asOf], { DATABASE_URL: database.url })
  t.equal(cli.code, 1, 'cron sees a failure')
  t.match(JSON.parse(cli.stdout), { ran: true, examined: 1, changed: 0, failed: [{ planId: corrupt }] }, 'it is met again at the next sweep')
  t.match(cli.stderr, new RegExp(`plan ${corrupt!} of tenant ${tenantId} left unchanged`))
})

t.test('without a date the sweep takes "now" from its clock: the horizon moves with a set clock', async (t) => {
  const clock = settableClock()
  const { app, pool, tenant } = await buildTestApp(t, { clock })
  const { headers } = await tenant()
  const plan = await acceptPlan(t, app, headers, 'SWC-1')
  t.match(await sweep(pool, app.servicing), { ran: true, changed: 0, failed: [] }, 'nothing breaks today')
  clock.at(addDays(plan.schedule[2]!.dueDate, 200))
  t.same(await sweep(pool, app.servicing), { ran: true, examined: 1, changed: 1, failed: [] }, 'months later by the clock, the unpaid plan breaks')
  t.equal((await pool.query('SELECT status FROM plans WHERE plan_id = $1', [plan.id])).rows[0].status, 'broken')
})
