import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { eventually } from '../helpers/eventually.js'
import { loanRequest } from '../helpers/quotes.js'

t.test('security headers on every response, errors included, and no X-Powered-By', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { BODY_LIMIT_BYTES: '2048' } })
  const { headers } = await tenant()
  const responses = [
    await app.inject({ method: 'GET', url: '/v1/me', headers }),
    await app.inject({ method: 'GET', url: '/v1/me' }),
    await app.inject({ method: 'GET', url: '/nowhere' }),
    await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { loan: { loanId: 'x'.repeat(3000) } } }),
    await app.inject({ method: 'GET', url: '/health/live' })
  ]
  t.same(responses.map((r) => r.statusCode), [200, 401, 404, 413, 200])
  for (const res of responses) {
    t.equal(res.headers['cache-control'], 'no-store', `${res.statusCode} no-store`)
    t.equal(res.headers['x-content-type-options'], 'nosniff')
    t.equal(res.headers['x-frame-options'], 'DENY')
    t.match(res.headers['content-security-policy'], /frame-ancestors 'none'/)
    t.notOk(res.headers['x-powered-by'])
    t.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains')
    t.equal(res.headers['referrer-policy'], 'no-referrer')
    t.equal(res.headers['cross-origin-opener-policy'], 'same-origin')
    t.equal(res.headers['cross-origin-resource-policy'], 'same-origin')
    t.equal(res.headers['x-permitted-cross-domain-policies'], 'none')
    t.notOk(res.headers['cross-origin-embedder-policy'], 'Swagger UI needs no COEP')
  }
  t.equal(responses[0]?.headers['content-security-policy'],
    "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;connect-src 'self';frame-ancestors 'none';form-action 'self';base-uri 'none';object-src 'none'")
})

t.test('an API key in the query string is refused, and not accepted as a credential', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { apiKey, headers } = await tenant()
  for (const name of ['api_key', 'apiKey', 'access_token', 'token']) {
    const res = await app.inject({ method: 'GET', url: `/v1/me?${name}=${apiKey}`, headers })
    t.equal(res.statusCode, 400, name)
    t.equal(res.json().type, '/problems/credentials-in-query')
    t.notMatch(res.body, apiKey)
  }
})

t.test('a tenant over its budget gets 429 with Retry-After while another tenant carries on', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { RATE_LIMIT_PER_MINUTE: '5' } })
  const flooding = await tenant()
  const quiet = await tenant()
  const codes: number[] = []
  for (let i = 0; i < 8; i++) codes.push((await app.inject({ method: 'GET', url: '/v1/me', headers: flooding.headers })).statusCode)
  t.same(codes, [200, 200, 200, 200, 200, 429, 429, 429])
  const limited = await app.inject({ method: 'POST', url: '/v1/quotes', headers: flooding.headers, payload: loanRequest('L') })
  t.equal(limited.statusCode, 429)
  t.match(limited.headers['content-type'], /^application\/problem\+json/)
  t.match(limited.json(), { type: '/problems/rate-limited', status: 429, limit: 'tenant-cost-units' })
  t.ok(Number(limited.headers['retry-after']) > 0)
  const other = await Promise.all(Array.from({ length: 5 }, async () => await app.inject({ method: 'GET', url: '/v1/me', headers: quiet.headers })))
  t.same(other.map((r) => r.statusCode), [200, 200, 200, 200, 200], 'the other tenant is unaffected')
})

t.test('a lagging event loop sheds requests with 503 + Retry-After, liveness stays up, and it recovers', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { MAX_EVENT_LOOP_DELAY_MS: '50' } })
  const { headers } = await tenant()
  // Right after start-up (imports, compilation) the loop may itself have just been stalled.
  t.ok(await eventually(async () => (await app.inject({ method: 'GET', url: '/v1/me', headers })).statusCode === 200, 5000), 'serves while the loop is idle')
  let shed: { statusCode: number, headers: Record<string, unknown>, json: () => any } | undefined
  let live = 0
  for (let attempt = 0; attempt < 20 && shed === undefined; attempt++) {
    // Keep the event loop busy for over a sampling interval, as a CPU-bound overload would.
    for (const end = Date.now() + 1500; Date.now() < end;) {
      const until = Date.now() + 150
      while (Date.now() < until) { /* busy */ }
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    const res = await app.inject({ method: 'GET', url: '/v1/me', headers })
    live = (await app.inject({ method: 'GET', url: '/health/live' })).statusCode
    if (res.statusCode === 503) shed = res
  }
  t.ok(shed, 'a request was shed')
  t.equal(shed?.headers['retry-after'], '2')
  t.match(shed?.json(), { type: '/problems/overloaded', status: 503 })
  t.equal(live, 200, 'liveness is not shed')
  let recovered = false
  for (let attempt = 0; attempt < 30 && !recovered; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    recovered = (await app.inject({ method: 'GET', url: '/v1/me', headers })).statusCode === 200
  }
  t.ok(recovered, 'serves again once the loop is idle')
})

t.test('MAX_EVENT_LOOP_DELAY_MS=0 turns event-loop shedding off', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { MAX_EVENT_LOOP_DELAY_MS: '0' } })
  const { headers } = await tenant()
  const codes: number[] = []
  for (let attempt = 0; attempt < 3; attempt++) {
    // Stall the loop for over a sampling interval, which sheds at any positive setting.
    for (const end = Date.now() + 1500; Date.now() < end;) { /* busy */ }
    await new Promise((resolve) => setTimeout(resolve, 0))
    codes.push((await app.inject({ method: 'GET', url: '/v1/me', headers })).statusCode)
  }
  t.same(codes, [200, 200, 200])
})
