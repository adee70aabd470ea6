import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { eventually } from '../helpers/eventually.js'
import { standardPolicy } from '../../src/domain/index.js'
import { loanRequest } from '../helpers/quotes.js'
import { revokeKeys } from '../../src/db/tenants-repository.js'

t.test('a request without a usable API key gets 401 problem+json with a Bearer challenge', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { apiKey } = await tenant()
  const cases: Array<[string, Record<string, string>]> = [
    ['no header', {}],
    ['wrong scheme', { authorization: `Basic ${apiKey}` }],
    ['too short', { authorization: 'Bearer abc' }],
    ['one character changed', { authorization: `Bearer ${apiKey.slice(0, -1)}${apiKey.endsWith('A') ? 'B' : 'A'}` }],
    ['unknown key', { authorization: `Bearer rpk_00000000_${'x'.repeat(43)}` }]
  ]
  for (const [name, headers] of cases) {
    const res = await app.inject({ method: 'GET', url: '/v1/me', headers })
    t.equal(res.statusCode, 401, name)
    t.equal(res.headers['www-authenticate'], 'Bearer realm="repayment-plans"', name)
    t.match(res.headers['content-type'], /^application\/problem\+json/, name)
    t.match(res.json(), { type: '/problems/unauthorized', status: 401, instance: '/v1/me' }, name)
  }
})

t.test('a valid key reaches /v1 as its own tenant, a revoked one no longer does', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t)
  const acme = await tenant('acme')
  const other = await tenant('other')
  const res = await app.inject({ method: 'GET', url: '/v1/me', headers: acme.headers })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { tenantId: acme.tenantId, name: 'acme' })
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: other.headers })).json().name, 'other')
  t.equal(await revokeKeys(pool, acme.tenantId), 1)
  // The cached lookup is dropped as soon as PostgreSQL delivers the change notification.
  t.ok(await eventually(async () => (await app.inject({ method: 'GET', url: '/v1/me', headers: acme.headers })).statusCode === 401), 'revoked key is refused')
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: other.headers })).statusCode, 200)
})

t.test('the keys table holds a prefix and a hash, never the key', async (t) => {
  const { tenant, pool } = await buildTestApp(t)
  const { apiKey, tenantId } = await tenant()
  const { rows } = await pool.query('SELECT prefix, key_hash, row_to_json(k)::text AS everything FROM api_keys k WHERE tenant_id = $1', [tenantId])
  t.equal(rows.length, 1)
  t.equal(rows[0].prefix, apiKey.slice(0, 12))
  t.equal(rows[0].key_hash.length, 32)
  t.notOk(rows[0].everything.includes(apiKey.slice(12)), 'no secret part stored')
})

t.test('a revocation or a policy change made through one replica reaches the caches of another', async (t) => {
  const one = await buildTestApp(t)
  const two = await buildTestApp(t, { database: one.database })
  const lender = await one.tenant()
  await two.app.ready()
  t.ok(await eventually(async () => two.app.caches.listener.live), 'replica two listens')
  // Warm replica two's caches.
  t.equal((await two.app.inject({ method: 'GET', url: '/v1/me', headers: lender.headers })).statusCode, 200)
  const quote = async () => (await two.app.inject({ method: 'POST', url: '/v1/quotes', headers: lender.headers, payload: loanRequest('L-CACHE') })).json()
  t.same((await quote()).policy, { name: 'standard', version: 1 })
  t.equal((await one.app.inject({ method: 'PUT', url: '/v1/policies/standard', headers: lender.headers, payload: { ...standardPolicy, quoteValidityDays: 3 } })).statusCode, 200)
  t.ok(await eventually(async () => (await quote()).policy.version === 2), 'replica two quotes with the new version')
  await revokeKeys(one.pool, lender.tenantId)
  t.ok(await eventually(async () => (await two.app.inject({ method: 'GET', url: '/v1/me', headers: lender.headers })).statusCode === 401), 'replica two refuses the revoked key')
})

t.test('without change notifications nothing is cached: a revocation takes effect at once', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t)
  const lender = await tenant()
  await app.caches.listener.stop()
  t.notOk(app.caches.listener.live)
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: lender.headers })).statusCode, 200)
  await pool.query('UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1', [lender.tenantId]) // no notification
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: lender.headers })).statusCode, 401)
})

t.test('while notifications flow, repeated requests do not look the key up again', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t)
  const lender = await tenant()
  t.ok(await eventually(async () => app.caches.listener.live))
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: lender.headers })).statusCode, 200)
  await pool.query('UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1', [lender.tenantId]) // silently, no notification
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: lender.headers })).statusCode, 200, 'served from the cache')
})
