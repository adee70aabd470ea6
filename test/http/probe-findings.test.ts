import net from 'node:net'
import { randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import t from 'tap'
import { pino } from 'pino'
import { buildTestApp } from '../helpers/app.js'
import { createQuote } from '../helpers/quotes.js'
import { eventually } from '../helpers/eventually.js'
import { loggerOptions } from '../../src/http/server-options.js'
import Fastify from 'fastify'
import { MAX_PROBLEM_ERRORS, Problem } from '../../src/http/problems.js'
import problemHandler from '../../src/http/plugins/problem-handler.js'
import * as commonSchemas from '../../src/schemas/common.js'
import * as planSchemas from '../../src/schemas/plan.js'
import * as policySchemas from '../../src/schemas/policy.js'
import * as quoteSchemas from '../../src/schemas/quote.js'
import * as tenantSchemas from '../../src/schemas/tenant.js'
import type { TapTest } from '../helpers/tap.js'

// The findings of issue 16's black-box probe, one test each.

async function listening (t: TapTest, env: Record<string, string> = {}, logger?: pino.Logger) {
  const built = await buildTestApp(t, { env, logger })
  await built.app.listen({ port: 0, host: '127.0.0.1' })
  return { ...built, port: (built.app.server.address() as net.AddressInfo).port }
}

/** Writes `request` on a raw connection and returns everything the server sends until it closes. */
async function raw (port: number, request: string | ((socket: net.Socket) => Promise<void>)): Promise<string> {
  const socket = net.connect(port, '127.0.0.1')
  let text = ''
  socket.on('data', (d: Buffer) => { text += d.toString('utf8') })
  socket.on('error', () => {})
  const closed = new Promise((resolve) => { socket.on('close', resolve) })
  await new Promise((resolve) => socket.once('connect', resolve))
  if (typeof request === 'string') socket.write(request)
  else await request(socket)
  await closed
  return text
}

const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))

t.test('parser-level errors answer problem+json: malformed request 400, oversized headers 431', async (t) => {
  const { port } = await listening(t)
  const malformed = await raw(port, 'GET / HTTP/1.1\r\nhost x\r\n\r\n')
  t.match(malformed, /^HTTP\/1\.1 400 Bad Request\r\n/)
  t.match(malformed, /\r\ncontent-type: application\/problem\+json/)
  t.match(malformed, /\r\nx-content-type-options: nosniff\r\n/, 'with the security headers')
  t.same(bodyOf(malformed), { type: '/problems/bad-request', title: 'Bad Request', status: 400, detail: 'the request is not valid HTTP/1.1' })
  const huge = await raw(port, `GET /health/live HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20000)}\r\n\r\n`)
  t.match(huge, /^HTTP\/1\.1 431 /)
  t.same(bodyOf(huge), { type: '/problems/headers-too-large', title: 'Request Header Fields Too Large', status: 431, detail: 'the request headers are larger than the server accepts' })
})

t.test('a body trickling in is cut at REQUEST_TIMEOUT_MS with a 408 problem, before it is complete', async (t) => {
  const { port, tenant } = await listening(t, { REQUEST_TIMEOUT_MS: '1000' })
  const { headers } = await tenant()
  let sent = 0
  const total = 200
  const text = await raw(port, async (socket) => {
    socket.write(`POST /v1/quotes HTTP/1.1\r\nhost: x\r\nauthorization: ${headers.authorization}\r\ncontent-type: application/json\r\ncontent-length: ${total}\r\n\r\n`)
    // One byte every 100 ms: the whole body would take 20 s.
    while (sent < total && !socket.destroyed && socket.writable) {
      socket.write(' ')
      sent++
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })
  t.ok(sent < total, `cut after ${sent} of ${total} bytes`)
  t.match(text, /^HTTP\/1\.1 408 Request Timeout\r\n/)
  t.same(bodyOf(text), { type: '/problems/request-timeout', title: 'Request Timeout', status: 408, detail: 'the request was not received in full within the time limit' })
})

t.test('a client hanging up mid-body is logged as such, at debug level, never as a database failure', async (t) => {
  const lines: Array<{ level: number, msg: string }> = []
  const sink = new Writable({ write (chunk, _enc, done) { lines.push(JSON.parse(chunk.toString())); done() } })
  const logger = pino(loggerOptions('debug') as pino.LoggerOptions, sink)
  const { port, tenant } = await listening(t, { LOG_LEVEL: 'debug' }, logger)
  const { headers } = await tenant()
  await raw(port, async (socket) => {
    socket.write(`POST /v1/quotes HTTP/1.1\r\nhost: x\r\nauthorization: ${headers.authorization}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"loan":`)
    await new Promise((resolve) => setTimeout(resolve, 200))
    socket.destroy()
  })
  t.ok(await eventually(async () => lines.some((l) => l.msg === 'client closed the connection before the request was read'), 5000), 'the abort is logged')
  t.equal(lines.find((l) => l.msg === 'client closed the connection before the request was read')!.level, 20, 'at debug level')
  t.notOk(lines.some((l) => /database/i.test(l.msg)), 'nothing says the database failed')
  t.notOk(lines.some((l) => l.level >= 40), 'no warning or error')
})

t.test('an over-long path parameter is a 414 problem saying so', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const res = await app.inject({ url: `/v1/plans/${'a'.repeat(501)}`, headers })
  t.equal(res.statusCode, 414)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.match(res.json(), { type: '/problems/uri-too-long', title: 'URI Too Long', detail: 'a path parameter is longer than 500 characters' })
})

t.test('an unsupported method on a known path is 405 with Allow; an unknown path stays 404', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const res = await app.inject({ method: 'DELETE', url: `/v1/plans/${randomUUID()}`, headers })
  t.equal(res.statusCode, 405)
  t.equal(res.headers.allow, 'GET, HEAD')
  t.match(res.json(), { type: '/problems/method-not-allowed', title: 'Method Not Allowed', status: 405 })
  const put = await app.inject({ method: 'PUT', url: '/v1/quotes', headers, payload: {} })
  t.equal(put.statusCode, 405)
  t.equal(put.headers.allow, 'POST')
  const unknown = await app.inject({ method: 'DELETE', url: '/v1/nothing-here', headers })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.headers.allow, undefined)
})

t.test('a blocked /docs/static/.. path is titled for its status', async (t) => {
  const { app } = await buildTestApp(t)
  const forbidden = await app.inject({ url: '/docs/static/..%5c..%5cpackage.json' })
  t.equal(forbidden.statusCode, 403)
  t.match(forbidden.json(), { title: 'Forbidden', status: 403 })
  for (const url of ['/docs/static/..%5c..%5cpackage.json', '/docs/static/..%2f..%2fpackage.json', '/docs/static/%2e%2e/%2e%2e/package.json', '/docs/static/a/..%2f..%2f..%2fetc%2fpasswd']) {
    const res = await app.inject({ url })
    t.ok(res.statusCode === 403 || res.statusCode === 404, `${url}: ${res.statusCode}`)
    t.match(res.headers['content-type'], /^application\/problem\+json/, url)
    const { STATUS_CODES } = await import('node:http')
    t.equal(res.json().title, STATUS_CODES[res.statusCode], `${url}: ${res.statusCode} ${res.json().title}`)
    t.equal(res.json().status, res.statusCode)
  }
})

t.test('Swagger UI does not keep the bearer key in the browser (persistAuthorization off)', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/docs/static/swagger-initializer.js' })
  t.equal(res.statusCode, 200)
  t.match(res.body, /"persistAuthorization":\s*false/)
  t.notMatch(res.body, /"persistAuthorization":\s*true/)
})

t.test('a forged cursor dated year 0000 is /problems/invalid-cursor', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const cursor = Buffer.from(JSON.stringify(['0000-01-01T00:00:00.000000Z', randomUUID()])).toString('base64url')
  const res = await app.inject({ url: `/v1/plans?cursor=${cursor}`, headers })
  t.equal(res.statusCode, 400)
  t.equal(res.json().type, '/problems/invalid-cursor')
})

t.test('accepting a quote id that does not exist stores no refusal under the key', async (t) => {
  const { app, tenant, pool } = await buildTestApp(t)
  const { headers, tenantId } = await tenant()
  const res = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'ghost' }, payload: { quoteId: randomUUID(), optionId: 'settlement' } })
  t.equal(res.statusCode, 404)
  t.equal(res.json().type, '/problems/not-found')
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM idempotency_keys WHERE tenant_id = $1', [tenantId])
  t.equal(rows[0].n, 0, 'nothing stored')
  // A refusal of a quote that exists is still stored and replayed.
  const quote = await createQuote(app, headers, 'LN-PROBE-1')
  const refused = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'real' }, payload: { quoteId: quote.id, optionId: 'nope' } })
  t.equal(refused.statusCode, 422)
  const again = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'real' }, payload: { quoteId: quote.id, optionId: 'nope' } })
  t.equal(again.headers['idempotent-replayed'], 'true')
})

t.test('a 5,200-key discountByBucket is refused with a small answer; 21 buckets are too many', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  const standard = (await app.inject({ url: '/v1/policies/standard', headers })).json().rules
  const many = Object.fromEntries(Array.from({ length: 5200 }, (_, i) => [`B${i}`, 'x']))
  const res = await app.inject({ method: 'PUT', url: '/v1/policies/standard', headers, payload: { ...standard, settlement: { ...standard.settlement, discountByBucket: many } } })
  t.equal(res.statusCode, 400)
  t.ok(res.body.length < 8192, `the answer stays small (${res.body.length} bytes)`)
  const buckets = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`B${i}`, '0.1']))
  const tooMany = await app.inject({ method: 'PUT', url: '/v1/policies/standard', headers, payload: { ...standard, settlement: { ...standard.settlement, discountByBucket: buckets } } })
  t.equal(tooMany.statusCode, 400)
  t.match(tooMany.json().detail, /discountByBucket must NOT have more than 20 properties/)
  const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`B${i}`, '0.1']))
  const ok = await app.inject({ method: 'PUT', url: '/v1/policies/standard', headers, payload: { ...standard, settlement: { ...standard.settlement, discountByBucket: twenty } } })
  t.not(ok.json().detail ?? '', /more than 20 properties/, '20 are allowed by the schema')
})

t.test('a problem lists at most 20 field errors and counts the rest (one place: every problem sent)', async (t) => {
  const app = Fastify({ logger: false })
  await app.register(problemHandler)
  const errors = Array.from({ length: 57 }, (_, i) => ({ path: `/body/k${i}`, message: 'is invalid' }))
  app.get('/validation', async () => {
    throw Object.assign(new Error('invalid'), { validation: errors.map((e, i) => ({ instancePath: `/k${i}`, message: e.message, params: {} })), validationContext: 'body' })
  })
  app.get('/problem', async () => { throw new Problem('validation', 'many', { errors }) })
  t.teardown(async () => { await app.close() })
  for (const url of ['/validation', '/problem']) {
    const body = (await app.inject({ url })).json()
    t.equal(body.errors.length, MAX_PROBLEM_ERRORS, url)
    t.same(body.errors, errors.slice(0, MAX_PROBLEM_ERRORS), url)
    t.equal(body.errorsOmitted, 57 - MAX_PROBLEM_ERRORS, url)
  }
  t.match((await app.inject({ url: '/validation' })).json().detail, /\/body\/k19 is invalid; and 37 more$/)
})

t.test('every record-like schema (open-ended keys) is bounded by maxProperties', async (t) => {
  const unbounded: string[] = []
  const seen = new Set<object>()
  const walk = (node: unknown, path: string) => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return
    seen.add(node)
    const schema = node as Record<string, unknown>
    const recordLike = schema.patternProperties !== undefined || (typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null)
    if (recordLike && typeof schema.maxProperties !== 'number') unbounded.push(path)
    for (const [key, value] of Object.entries(schema)) walk(value, `${path}/${key}`)
  }
  let records = 0
  for (const [module, exports] of Object.entries({ commonSchemas, planSchemas, policySchemas, quoteSchemas, tenantSchemas })) {
    for (const [name, value] of Object.entries(exports)) {
      walk(value, `${module}.${name}`)
    }
  }
  for (const s of seen) if ((s as Record<string, unknown>).patternProperties !== undefined) records++
  t.ok(records > 0, 'the walk finds record schemas (discountByBucket)')
  t.same(unbounded, [], 'no record-like schema without maxProperties')
})
