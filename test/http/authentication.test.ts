import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
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
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: acme.headers })).statusCode, 401)
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
