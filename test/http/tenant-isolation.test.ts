import { randomUUID } from 'node:crypto'
import t from 'tap'
import { standardPolicy } from '../../src/domain/index.js'
import { buildTestApp } from '../helpers/app.js'
import { createQuote } from '../helpers/quotes.js'

const bodies: Record<string, unknown> = {
  'POST /v1/plans/{id}/cancel': { reason: 'not yours' }
}

t.test("for every route that takes an id, another tenant's id answers exactly like a random one", async (t) => {
  const { app, tenant, pool } = await buildTestApp(t)
  const a = await tenant()
  const b = await tenant()
  const quote = await createQuote(app, a.headers, 'LN-ISO')
  const plan = (await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...a.headers, 'idempotency-key': 'iso' }, payload: { quoteId: quote.id, optionId: 'settlement' } })).json()
  await app.inject({ method: 'PUT', url: '/v1/policies/private', headers: a.headers, payload: standardPolicy })
  const ids: Record<string, string> = { '/v1/quotes/{id}': quote.id, '/v1/plans/{id}': plan.id, '/v1/plans/{id}/cancel': plan.id, '/v1/policies/{name}': 'private' }

  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  const templated = Object.keys(doc.paths).filter((p) => p.startsWith('/v1/') && p.includes('{'))
  t.same(templated.sort(), Object.keys(ids).sort(), 'every templated route is covered by this sweep')
  for (const path of templated) {
    for (const method of Object.keys(doc.paths[path]).filter((m) => m === 'get' || m === 'post')) {
      const name = `${method.toUpperCase()} ${path}`
      const randomId = path.includes('{name}') ? 'no-such-policy' : randomUUID()
      const call = async (id: string) => await app.inject({
        method: method.toUpperCase() as 'GET' | 'POST', url: path.replace(/\{\w+\}/, id), headers: b.headers, payload: bodies[name] as object | undefined
      })
      const theirs = await call(ids[path]!)
      const random = await call(randomId)
      t.equal(theirs.statusCode, 404, name)
      t.same({ ...theirs.json(), instance: null }, { ...random.json(), instance: null }, `${name}: same answer as a random id`)
    }
  }
  const { rows } = await pool.query('SELECT status FROM plans WHERE plan_id = $1', [plan.id])
  t.equal(rows[0].status, 'active', "A's plan is untouched")
})
