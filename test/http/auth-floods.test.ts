import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { trustProxy } from '../../src/http/server-options.js'
import { WindowCounter } from '../../src/http/limits.js'

const randomKey = () => `rpk_${Array.from({ length: 43 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)]).join('')}`

/** Counts the key lookups the app sends through its pool from now on. */
function countKeyLookups (pool: import('pg').Pool): () => number {
  let n = 0
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown
  pool.query = ((...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text ?? ''
    if (text.includes('api_keys')) n++
    return query(...args)
  }) as typeof pool.query
  return () => n
}

t.test('failed authentications are limited per client address: 429 + Retry-After after the burst; another address and valid keys elsewhere are unaffected', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { AUTH_FAILURES_PER_MINUTE: '5' } })
  const { headers } = await tenant()
  const from = (ip: string, h: Record<string, string>) => app.inject({ url: '/v1/me', headers: h, remoteAddress: ip })
  for (let i = 0; i < 5; i++) t.equal((await from('203.0.113.7', { authorization: `Bearer ${randomKey()}` })).statusCode, 401, `failure ${i + 1}`)
  const limited = await from('203.0.113.7', { authorization: `Bearer ${randomKey()}` })
  t.equal(limited.statusCode, 429)
  t.match(limited.headers['content-type'], /^application\/problem\+json/)
  t.ok(Number(limited.headers['retry-after']) >= 1)
  t.match(limited.json(), { type: '/problems/rate-limited', limit: 'authentication-failures' })
  t.equal((await from('203.0.113.7', {})).statusCode, 429, 'no key from the flooding address: still limited')
  t.equal((await from('198.51.100.9', headers)).statusCode, 200, 'a valid tenant from another address is served')
  t.equal((await from('198.51.100.9', { authorization: `Bearer ${randomKey()}` })).statusCode, 401, 'another address has its own budget')
})

t.test('an unknown key prefix is remembered: repeating it does not reach the database; a real prefix with a wrong key is not cached', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t, { env: { AUTH_FAILURES_PER_MINUTE: '0' } })
  const { headers, apiKey } = await tenant()
  const unknown = randomKey()
  t.equal((await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${unknown}` } })).statusCode, 401)
  const lookups = countKeyLookups(pool)
  for (let i = 0; i < 20; i++) t.equal((await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${unknown}` } })).statusCode, 401)
  t.equal(lookups(), 0, 'no lookup for the remembered prefix')
  t.equal((await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${randomKey()}` } })).statusCode, 401)
  t.equal(lookups(), 1, 'a new unknown prefix is looked up once (the counter sees lookups)')
  // A wrong key that shares a real key's prefix: the real key keeps working.
  const wrong = apiKey.slice(0, 12) + 'x'.repeat(apiKey.length - 12)
  t.equal((await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${wrong}` } })).statusCode, 401)
  t.equal((await app.inject({ url: '/v1/me', headers })).statusCode, 200, 'the real key is not locked out')
})

t.test('TRUST_PROXY: the client address comes from X-Forwarded-For only when configured', async (t) => {
  t.equal(trustProxy('false'), false)
  t.equal(trustProxy('true'), true)
  t.equal(trustProxy('1'), 1)
  t.equal(trustProxy('10.0.0.0/8, 127.0.0.1'), '10.0.0.0/8,127.0.0.1')
  const trusted = await buildTestApp(t, { env: { TRUST_PROXY: '127.0.0.1', AUTH_FAILURES_PER_MINUTE: '1' } })
  const viaProxy = (app: typeof trusted.app, client: string) => app.inject({ url: '/v1/me', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } })
  t.equal((await viaProxy(trusted.app, '203.0.113.1')).statusCode, 401)
  t.equal((await viaProxy(trusted.app, '203.0.113.1')).statusCode, 429, 'that client is limited')
  t.equal((await viaProxy(trusted.app, '203.0.113.2')).statusCode, 401, 'another client behind the same proxy is not')
  const untrusted = await buildTestApp(t, { env: { AUTH_FAILURES_PER_MINUTE: '1' } })
  t.equal((await viaProxy(untrusted.app, '203.0.113.1')).statusCode, 401)
  t.equal((await viaProxy(untrusted.app, '203.0.113.2')).statusCode, 429, 'without TRUST_PROXY the proxy is the client')
})

t.test('the window counter resets each minute and reports the seconds left', async (t) => {
  let now = 60_000 * 10 + 15_000
  const c = new WindowCounter(60_000, 3, () => now)
  t.equal(c.add('a'), 1)
  t.equal(c.add('a'), 2)
  t.equal(c.retryAfterSeconds(), 45)
  now += 45_000
  t.equal(c.count('a'), 0, 'a new window')
  c.add('x'); c.add('y'); c.add('z'); c.add('w')
  t.equal(c.count('x'), 0, 'bounded: the map is cleared when full')
})
