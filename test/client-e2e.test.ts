import t from 'tap'
import { createRepaymentPlansClient, type Schema } from '../clients/typescript/src/index.js'
import { testDatabase } from './helpers/database.js'
import { freePort } from './helpers/ports.js'
import { runNode, startServer, waitFor } from './helpers/process.js'

t.test('the generated client runs quote -> accept -> read against a real server', async (t) => {
  const db = await testDatabase(t)
  const created = await runNode('dist/cli/tenants.js', ['create', 'client-e2e'], { DATABASE_URL: db.url })
  t.equal(created.code, 0, created.stderr)
  const server = startServer(await freePort(), { DATABASE_URL: db.url })
  t.teardown(async () => { await server.stop('SIGKILL') })
  t.ok(await waitFor(server, '/health/ready'), server.output())

  const api = createRepaymentPlansClient({ baseUrl: server.baseUrl, apiKey: JSON.parse(created.stdout).apiKey })

  const me = await api.GET('/v1/me')
  t.equal(me.data?.name, 'client-e2e')

  const quote = await api.POST('/v1/quotes', {
    body: { loan: { loanId: 'LN-CLIENT-1', balance: '50000.00', overdueDays: 45 }, borrower: { monthlyIncome: '9000.00', monthlyObligations: '1500.00' } }
  })
  t.equal(quote.response.status, 201)
  const optionId = quote.data!.recommendedOptionId!
  t.ok(quote.data!.options.some((o: Schema<'QuoteOption'>) => o.id === optionId))

  const accepted = await api.POST('/v1/plans', {
    params: { header: { 'idempotency-key': `client-e2e-${Date.now()}` } },
    body: { quoteId: quote.data!.id, optionId }
  })
  t.equal(accepted.response.status, 201)
  const planId = accepted.data!.id

  const plan = await api.GET('/v1/plans/{id}', { params: { path: { id: planId } } })
  t.equal(plan.data?.status, 'active')
  t.equal(plan.data?.optionId, optionId)
  t.equal(plan.data?.schedule.length, quote.data!.options.find((o) => o.id === optionId)!.schedule.length)
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const paid = await api.POST('/v1/plans/{id}/payments', { params: { path: { id: planId } }, body: { reference: `client-e2e-pay-${Date.now()}`, amount: '100.00', receivedOn: today } })
  t.equal(paid.response.status, 201)
  t.equal(paid.data?.plan.paidTotal, '100.00')
  const after = await api.GET('/v1/plans/{id}', { params: { path: { id: planId } } })
  t.equal(after.data?.paidTotal, '100.00', 'the plan reads back where it stands')

  const listed = await api.GET('/v1/plans', { params: { query: { loanId: 'LN-CLIENT-1' } } })
  t.same(listed.data?.items.map((p) => p.id), [planId])

  // Errors come back typed as problems.
  const missing = await api.GET('/v1/plans/{id}', { params: { path: { id: '3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60' } } })
  t.equal(missing.response.status, 404)
  t.equal(missing.error?.type, '/problems/not-found')
})
