import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import t from 'tap'
import { pino } from 'pino'
import { loggerOptions } from '../src/http/server-options.js'
import { buildTestApp } from './helpers/app.js'
import { testDatabase } from './helpers/database.js'
import { eventually } from './helpers/eventually.js'
import { freePort } from './helpers/ports.js'
import { runNode, startServer, waitFor } from './helpers/process.js'
import { loanRequest } from './helpers/quotes.js'

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT_ID = '00f067aa0ba902b7'
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`

interface Span { traceId: string, spanId: string, parentSpanId?: string, name: string, kind: number, attributes: Array<{ key: string, value: Record<string, unknown> }> }

/** A local OTLP/HTTP receiver: collects the spans of every JSON export to /v1/traces. */
async function otlpReceiver (t: { teardown: (fn: () => unknown) => void }) {
  const spans: Span[] = []
  const contentTypes = new Set<string>()
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => { body += chunk.toString() })
    req.on('end', () => {
      contentTypes.add(String(req.headers['content-type']))
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const exported = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }> }
        for (const rs of exported.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans)
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
  t.teardown(async () => { await new Promise((resolve) => { server.close(resolve) }) })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, contentTypes }
}

t.test('with tracing off, a traceparent still reaches every log line, with requestId and tenantId', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const sink = new Writable({ write (chunk: Buffer, _enc, done) { for (const l of chunk.toString().split('\n')) if (l !== '') lines.push(JSON.parse(l)); done() } })
  const logger = pino(loggerOptions('info') as pino.LoggerOptions, sink)
  const { app, tenant } = await buildTestApp(t, { env: { LOG_LEVEL: 'info' }, logger })
  const { tenantId, headers } = await tenant()
  const res = await app.inject({ method: 'GET', url: '/v1/me', headers: { ...headers, traceparent: TRACEPARENT, 'x-request-id': 'req-trace-1' } })
  t.equal(res.statusCode, 200)
  const mine = lines.filter((l) => l.requestId === 'req-trace-1')
  t.ok(mine.length >= 2, 'the request is logged')
  for (const line of mine) t.equal(line.traceId, TRACE_ID, `"${String(line.msg)}" carries the trace id`)
  t.match(mine.find((l) => l.msg === 'request completed'), { tenantId, traceId: TRACE_ID, requestId: 'req-trace-1' })

  await app.inject({ method: 'GET', url: '/v1/me', headers: { ...headers, traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01', 'x-request-id': 'req-trace-2' } })
  t.notOk(lines.some((l) => l.requestId === 'req-trace-2' && 'traceId' in l), 'an invalid traceparent is ignored')
})

t.test('with OTEL_EXPORTER_OTLP_ENDPOINT: the request\'s spans continue the caller\'s trace, with PostgreSQL child spans', async (t) => {
  const receiver = await otlpReceiver(t)
  const db = await testDatabase(t)
  const created = await runNode('dist/cli/tenants.js', ['create', 'traced'], { DATABASE_URL: db.url })
  t.equal(created.code, 0, created.stderr)
  const { apiKey, tenantId } = JSON.parse(created.stdout)
  const server = startServer(await freePort(), { DATABASE_URL: db.url, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' })
  t.teardown(async () => { await server.stop('SIGKILL') })
  t.ok(await waitFor(server, '/health/ready'), server.output())

  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }
  const quote = await fetch(`${server.baseUrl}/v1/quotes`, { method: 'POST', headers, body: JSON.stringify(loanRequest('LN-TRACE-1')) })
  t.equal(quote.status, 201)
  const { id } = await quote.json() as { id: string }
  const read = await fetch(`${server.baseUrl}/v1/quotes/${id}`, { headers: { ...headers, traceparent: TRACEPARENT, 'x-request-id': 'req-traced' } })
  t.equal(read.status, 200)

  const inTrace = (): Span[] => receiver.spans.filter((s) => s.traceId === TRACE_ID)
  const isPg = (s: Span): boolean => s.attributes.some((a) => a.key === 'db.system.name' || a.key === 'db.system')
  t.ok(await eventually(async () => inTrace().some(isPg) && inTrace().some((s) => s.kind === 2), 20000), `spans exported: ${JSON.stringify(receiver.spans.map((s) => [s.name, s.traceId]))}`)
  const spans = inTrace()
  const serverSpan = spans.find((s) => s.kind === 2)
  t.equal(serverSpan?.parentSpanId, PARENT_ID, 'the server span is the child of the caller\'s span')
  const ids = new Set(spans.map((s) => s.spanId))
  const queries = spans.filter(isPg)
  t.ok(queries.length >= 1, `${queries.length} PostgreSQL span(s)`)
  for (const q of queries) t.ok(ids.has(q.parentSpanId ?? ''), `${q.name} is a child within the request's trace`)
  t.ok(spans.some((s) => s.name.includes('/v1/quotes/:id')), 'a span names the route')
  t.match([...receiver.contentTypes].join(), /application\/json/, 'exported as OTLP/HTTP JSON')

  const logged = server.output().split('\n').filter((l) => l.includes('"req-traced"')).map((l) => JSON.parse(l) as Record<string, unknown>)
  t.match(logged.find((l) => l.msg === 'request completed'), { traceId: TRACE_ID, requestId: 'req-traced', tenantId })
  t.equal(await server.stop(), 0, 'SIGTERM flushes and exits 0')
})
