import t from 'tap'
import { testDatabase } from './helpers/database.js'
import { freePort } from './helpers/ports.js'
import { runNode, startServer, waitFor } from './helpers/process.js'

// The whole journey as a lender system sees it: a separate server process, real HTTP.
t.test('create tenant → quote → accept → replay → get → list → cancel → accept another', async (t) => {
  const db = await testDatabase(t)
  const created = await runNode('dist/cli/tenants.js', ['create', 'lender-e2e'], { DATABASE_URL: db.url })
  t.equal(created.code, 0, created.stderr)
  const { apiKey } = JSON.parse(created.stdout)
  const server = startServer(await freePort(), { DATABASE_URL: db.url, LOG_LEVEL: 'warn' })
  t.teardown(async () => { await server.stop('SIGKILL') })
  t.ok(await waitFor(server, '/health/ready'), server.output())
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const res = await fetch(server.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    return { status: res.status, headers: res.headers, text, json: JSON.parse(text) }
  }

  const quote = await call('POST', '/v1/quotes', { loan: { loanId: 'LN-E2E', balance: '50000.00', overdueDays: 45 }, borrower: { monthlyIncome: '9000.00', monthlyObligations: '1500.00' } })
  t.equal(quote.status, 201)
  const optionId = quote.json.recommendedOptionId as string
  t.ok(optionId)

  const accepted = await call('POST', '/v1/plans', { quoteId: quote.json.id, optionId }, { 'idempotency-key': 'e2e-1' })
  t.equal(accepted.status, 201)
  const replay = await call('POST', '/v1/plans', { quoteId: quote.json.id, optionId }, { 'idempotency-key': 'e2e-1' })
  t.equal(replay.status, 201)
  t.equal(replay.text, accepted.text, 'replay is byte-identical')
  t.equal(replay.headers.get('idempotent-replayed'), 'true')

  const plan = await call('GET', accepted.headers.get('location')!)
  t.equal(plan.status, 200)
  t.has(plan.json, accepted.json, 'the plan reads back as accepted, with where it stands added')
  t.equal(plan.json.outstanding, accepted.json.totalRepayable)

  // Money received today (the policy's calendar) is allocated to the first installment.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
  const paid = await call('POST', `/v1/plans/${accepted.json.id}/payments`, { reference: 'E2E-PAY-1', amount: '100.00', receivedOn: today })
  t.equal(paid.status, 201, paid.text)
  t.match(paid.json, { payment: { reference: 'E2E-PAY-1', allocation: { installments: [{ number: 1 }] } }, plan: { status: 'active', paidTotal: '100.00' } })

  const listed = await call('GET', '/v1/plans?loanId=LN-E2E')
  t.same(listed.json.items.map((p: { id: string }) => p.id), [accepted.json.id])

  const cancelled = await call('POST', `/v1/plans/${accepted.json.id}/cancel`, { reason: 'borrower chose a holiday instead' })
  t.equal(cancelled.json.status, 'cancelled')

  const other = quote.json.options.find((o: { id: string, type: string }) => o.type === 'deferral').id
  const second = await call('POST', '/v1/plans', { quoteId: quote.json.id, optionId: other }, { 'idempotency-key': 'e2e-2' })
  t.equal(second.status, 201)
  t.equal(second.json.optionId, other)
  t.same((await call('GET', '/v1/plans?loanId=LN-E2E&status=active')).json.items.map((p: { id: string }) => p.id), [second.json.id])
  t.equal(await server.stop(), 0)
})
