import t from 'tap'
import { parsePrometheus, samples } from '../helpers/prometheus.js'
import { buildTestApp } from '../helpers/app.js'
import { freePort } from '../helpers/ports.js'
import { loanRequest } from '../helpers/quotes.js'

const TOKEN = 'metrics-token-0123456789'

const value = (found: Array<{ value: number }>): number | undefined => found.length === 1 ? found[0]!.value : undefined

t.test('metrics are never public by default', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 404)
  t.equal(app.metrics.listenerAddress(), undefined, 'no listener without METRICS_PORT')
})

t.test('behind METRICS_TOKEN: requests by route and status, latency, pool, batch sizes, event-loop delay', async (t) => {
  const { app, tenant } = await buildTestApp(t, { env: { METRICS_TOKEN: TOKEN } })
  const { headers } = await tenant()
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401, 'no token')
  t.equal((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode, 401, 'wrong token')
  t.equal((await app.inject({ method: 'GET', url: '/metrics', headers })).statusCode, 401, 'an API key is not the metrics token')

  const quote = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: loanRequest('LN-METRICS-1') })
  t.equal(quote.statusCode, 201)
  const accepted = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': `k-${Date.now()}` }, payload: { quoteId: quote.json().id, optionId: quote.json().options[0].id } })
  t.equal(accepted.statusCode, 201)
  t.equal((await app.inject({ method: 'GET', url: `/v1/plans/${accepted.json().id}`, headers })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/v1/plans/3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60', headers })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: '/v1/me' })).statusCode, 401)

  const scrape = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
  t.equal(scrape.statusCode, 200)
  t.match(scrape.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const families = parsePrometheus(scrape.body)

  t.equal(families.find((f) => f.name === 'http_requests')?.type, 'counter')
  const count = (route: string, status: string, method = 'GET'): number | undefined =>
    value(samples(families, 'http_requests_total', { method, route, status_code: status }))
  t.equal(count('/v1/quotes', '201', 'POST'), 1)
  t.equal(count('/v1/plans', '201', 'POST'), 1)
  t.equal(count('/v1/plans/:id', '200'), 1, 'one series per route template, not per id')
  t.equal(count('/v1/plans/:id', '404'), 1, 'errors by status')
  t.equal(count('/v1/me', '401'), 1)
  t.notOk(samples(families, 'http_requests_total').some((s) => s.labels.route!.includes('3f1c2a9e')), 'no raw URL becomes a label')

  t.equal(families.find((f) => f.name === 'http_request_duration_seconds')?.type, 'histogram')
  const quoteLabels = { method: 'POST', route: '/v1/quotes', status_code: '201' }
  t.equal(value(samples(families, 'http_request_duration_seconds_count', quoteLabels)), 1)
  t.ok(value(samples(families, 'http_request_duration_seconds_sum', quoteLabels))! > 0)
  t.equal(value(samples(families, 'http_request_duration_seconds_bucket', { ...quoteLabels, le: '+Inf' })), 1)

  t.ok(value(samples(families, 'pg_pool_connections'))! >= 1, 'the pool has opened connections')
  t.ok(value(samples(families, 'pg_pool_idle_connections'))! >= 0)
  t.equal(value(samples(families, 'pg_pool_waiting_requests')), 0)

  t.equal(families.find((f) => f.name === 'db_group_commit_batch_size')?.type, 'histogram')
  for (const batcher of ['quotes', 'acceptance-lookups', 'acceptance-writes']) {
    t.equal(value(samples(families, 'db_group_commit_batch_size_count', { batcher })), 1, `one ${batcher} batch`)
    t.equal(value(samples(families, 'db_group_commit_batch_size_sum', { batcher })), 1, 'of one item')
  }
  t.equal(samples(families, 'nodejs_eventloop_lag_p99_seconds').length, 1, 'event-loop delay')
})

t.test('on METRICS_PORT: a separate listener, nothing on the API port', async (t) => {
  const port = await freePort()
  const { app } = await buildTestApp(t, { env: { METRICS_PORT: String(port) } })
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404, 'not on the API port')
  t.equal(app.metrics.listenerAddress()?.address, '127.0.0.1', 'bound to METRICS_HOST, loopback by default')
  const res = await fetch(`http://127.0.0.1:${port}/metrics`)
  t.equal(res.status, 200)
  const families = parsePrometheus(await res.text())
  t.equal(samples(families, 'pg_pool_connections').length, 1)
  t.equal((await fetch(`http://127.0.0.1:${port}/other`)).status, 404)
})
