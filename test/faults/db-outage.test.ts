import t from 'tap'
import { faultApp } from '../helpers/fault-app.js'
import { loanRequest } from '../helpers/quotes.js'

t.test('database down: fast 503 + Retry-After, liveness up, readiness down; back up: recovers by itself', async (t) => {
  const { cluster, app, headers } = await faultApp(t, { PG_CONNECTION_TIMEOUT_MS: '1000' })
  t.equal((await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: loanRequest('L-1') })).statusCode, 201)

  await cluster.stop('immediate')
  for (const request of [
    { method: 'POST' as const, url: '/v1/quotes', headers, payload: loanRequest('L-2') },
    { method: 'GET' as const, url: '/v1/me', headers }
  ]) {
    const started = Date.now()
    const res = await app.inject(request)
    const elapsed = Date.now() - started
    t.equal(res.statusCode, 503, `${request.method} ${request.url}`)
    t.equal(res.headers['retry-after'], '1')
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.notMatch(res.body, /ECONNREFUSED|127\.0\.0\.1|postgres/i, 'no connection details leak')
    // A bound, not a benchmark: the pool must give up instead of waiting forever.
    t.ok(elapsed < 5000, `answered in ${elapsed} ms`)
  }
  t.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 503)

  await cluster.start()
  let ready = false
  for (let i = 0; i < 50 && !ready; i++) {
    ready = (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 200))
  }
  t.ok(ready, 'ready again without a restart')
  t.equal((await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: loanRequest('L-3') })).statusCode, 201)
})
