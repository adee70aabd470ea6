import { randomUUID } from 'node:crypto'
import t from 'tap'
import { standardPolicy } from '../../src/domain/index.js'
import { buildTestApp } from '../helpers/app.js'
import { createQuote } from '../helpers/quotes.js'
import { TEST_WEBHOOK_KEY } from '../helpers/env.js'

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
const bodies: Record<string, unknown> = {
  'POST /v1/plans/{id}/cancel': { reason: 'not yours' },
  'POST /v1/plans/{id}/payments': { reference: 'THEIRS-1', amount: '1.00', receivedOn: today },
  'POST /v1/plans/{id}/payments/{paymentId}/reversal': { reason: 'not yours' }
}

t.test("for every route that takes an id, another tenant's id answers exactly like a random one", async (t) => {
  const { app, tenant, pool } = await buildTestApp(t, { env: { WEBHOOK_ENCRYPTION_KEY: TEST_WEBHOOK_KEY } })
  const a = await tenant()
  const b = await tenant()
  const endpoint = (await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers: a.headers, payload: { url: 'https://lender.example/hooks', eventTypes: ['plan.accepted'] } })).json()
  const quote = await createQuote(app, a.headers, 'LN-ISO')
  const plan = (await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...a.headers, 'idempotency-key': 'iso' }, payload: { quoteId: quote.id, optionId: 'settlement' } })).json()
  await app.inject({ method: 'PUT', url: '/v1/policies/private', headers: a.headers, payload: standardPolicy })
  const payment = (await app.inject({ method: 'POST', url: `/v1/plans/${plan.id}/payments`, headers: a.headers, payload: { reference: 'MINE-1', amount: '1.00', receivedOn: today } })).json().payment
  const delivery = (await app.inject({ url: `/v1/webhook-endpoints/${endpoint.id}/deliveries`, headers: a.headers })).json().items[0]
  // Each path's parameters in order: A's own ids.
  const ids: Record<string, string[]> = {
    '/v1/quotes/{id}': [quote.id],
    '/v1/plans/{id}': [plan.id],
    '/v1/plans/{id}/cancel': [plan.id],
    '/v1/plans/{id}/payments': [plan.id],
    '/v1/plans/{id}/payments/{paymentId}': [plan.id, payment.id],
    '/v1/plans/{id}/payments/{paymentId}/reversal': [plan.id, payment.id],
    '/v1/plans/{id}/payoff': [plan.id],
    '/v1/policies/{name}': ['private'],
    '/v1/webhook-endpoints/{id}': [endpoint.id],
    '/v1/webhook-endpoints/{id}/rotate-secret': [endpoint.id],
    '/v1/webhook-endpoints/{id}/deliveries': [endpoint.id],
    '/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/retry': [endpoint.id, delivery.id]
  }

  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  const templated = Object.keys(doc.paths).filter((p) => p.startsWith('/v1/') && p.includes('{'))
  t.same(templated.sort(), Object.keys(ids).sort(), 'every templated route is covered by this sweep')
  for (const path of templated) {
    for (const method of Object.keys(doc.paths[path]).filter((m) => m === 'get' || m === 'post' || m === 'delete')) {
      const name = `${method.toUpperCase()} ${path}`
      const randomIds = ids[path]!.map(() => path.includes('{name}') ? 'no-such-policy' : randomUUID())
      const call = async (values: string[]) => {
        let k = 0
        return await app.inject({
          method: method.toUpperCase() as 'GET' | 'POST' | 'DELETE', url: path.replace(/\{\w+\}/g, () => values[k++]!), headers: b.headers, payload: bodies[name] as object | undefined
        })
      }
      const theirs = await call(ids[path]!)
      const random = await call(randomIds)
      t.equal(theirs.statusCode, 404, name)
      t.same({ ...theirs.json(), instance: null }, { ...random.json(), instance: null }, `${name}: same answer as a random id`)
    }
  }
  const { rows } = await pool.query('SELECT status FROM plans WHERE plan_id = $1', [plan.id])
  t.equal(rows[0].status, 'active', "A's plan is untouched")
  const { rows: endpoints } = await pool.query('SELECT deleted_at FROM webhook_endpoints WHERE endpoint_id = $1', [endpoint.id])
  t.same(endpoints, [{ deleted_at: null }], "A's webhook endpoint is not deleted")
  const { rows: payments } = await pool.query('SELECT reference, reversed_at FROM payments WHERE plan_id = $1', [plan.id])
  t.same(payments, [{ reference: 'MINE-1', reversed_at: null }], "A's payments are untouched")
})
