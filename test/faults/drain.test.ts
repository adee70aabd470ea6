import net from 'node:net'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { testDatabase } from '../helpers/database.js'
import { freePort } from '../helpers/ports.js'
import { startServer, waitFor } from '../helpers/process.js'
import { loanRequest } from '../helpers/quotes.js'
import { LoadBalancer, requestStream } from '../helpers/request-stream.js'
import { eventually } from '../helpers/eventually.js'

t.test('SIGTERM under a stream of requests: readiness 503 first, every request answered, no reset, every 201 committed', async (t) => {
  const database = await testDatabase(t)
  const { tenant, pool } = await buildTestApp(t, { database })
  const { headers } = await tenant()
  const server = startServer(await freePort(), {
    DATABASE_URL: database.url, LOG_LEVEL: 'warn', SHUTDOWN_DELAY_MS: '3000', SHUTDOWN_GRACE_MS: '10000', RATE_LIMIT_PER_MINUTE: '1000000'
  })
  t.teardown(async () => { await server.stop('SIGKILL') })
  t.ok(await waitFor(server, '/health/ready'), server.output())

  // Assigned once below, after the load balancer that reads it is built.
  // eslint-disable-next-line prefer-const
  let stream: ReturnType<typeof requestStream> | undefined
  // The load balancer stops routing here 300 ms after readiness fails; the server keeps serving 3 s.
  const lb = new LoadBalancer(server.baseUrl, () => stream?.started ?? 0, 300)
  t.teardown(async () => { await lb.stop() })
  stream = requestStream({
    baseUrl: server.baseUrl,
    keepAliveClients: 4,
    newConnectionClients: 4,
    routing: () => lb.routing,
    next: (seq) => ({ method: 'POST', path: '/v1/quotes', headers, body: loanRequest(`LN-DRAIN-${seq}`) })
  })
  t.ok(await eventually(async () => stream.answered >= 40, 60000), 'the stream is flowing')
  const signalledAt = stream.started
  server.child.kill('SIGTERM')
  const result = await stream.done
  const code = await server.exited

  t.comment(`drain stream: sent ${result.sent}, answered ${result.answered}, reset ${result.reset}, refused ${result.refused}, other errors ${result.errors}; statuses ${JSON.stringify(result.byStatus)}; ${result.sent - signalledAt} sent after SIGTERM`)
  t.equal(result.reset, 0, 'no request was reset')
  t.equal(result.refused, 0, 'no connection was refused while the load balancer still routed here')
  t.equal(result.errors, 0, 'no other client error')
  t.equal(result.answered, result.sent, 'every request sent got an HTTP answer')
  t.same(Object.keys(result.byStatus), ['201'], 'served normally until the load balancer stopped routing')
  t.ok(lb.notReadyAt !== undefined, 'readiness turned 503 while serving')
  const afterSignal = result.outcomes.filter((o) => o.kind === 'answered' && o.seq > signalledAt && o.status === 201)
  t.ok(afterSignal.length > 0, `requests sent after SIGTERM were served (${afterSignal.length})`)
  const afterNotReady = result.outcomes.filter((o) => o.seq > lb.notReadyAt!)
  t.ok(afterNotReady.length > 0 && afterNotReady.every((o) => o.kind === 'answered' && o.connectionClose), 'while draining every answer closes its connection')
  t.equal(code, 0, 'exit 0')

  const ids = result.outcomes.flatMap((o) => o.kind === 'answered' && o.status === 201 ? [(JSON.parse(o.body) as { id: string }).id] : [])
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM quotes WHERE quote_id = ANY($1::uuid[])', [ids])
  t.equal(rows[0].n, ids.length, `every 201 is committed (${ids.length} quotes)`)
})

/** Reads from a raw socket until it closes; returns everything received. */
async function readAll (socket: net.Socket): Promise<string> {
  let text = ''
  socket.on('data', (d: Buffer) => { text += d.toString('utf8') })
  await new Promise((resolve) => { socket.on('close', resolve) })
  return text
}

t.test('a request arriving on an open connection while the server closes: 503 shutting-down problem, Connection: close, Retry-After', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as net.AddressInfo).port
  // A client that connected before the listener closed and is still sending its request's
  // headers when the server begins closing: the request arrives at a closing server.
  const socket = net.connect(port, '127.0.0.1')
  await new Promise((resolve) => socket.once('connect', resolve))
  socket.write('GET /v1/me HTTP/1.1\r\nhost: x\r\n')
  const received = readAll(socket)
  await new Promise((resolve) => setTimeout(resolve, 100))
  const closed = app.close()
  t.ok(await eventually(async () => app.drain.closing, 5000), 'the server is closing')
  socket.write(`authorization: ${headers.authorization}\r\n\r\n`)
  const text = await received
  await closed
  t.match(text, /^HTTP\/1\.1 503 /, text)
  t.match(text, /\r\nconnection: close\r\n/i)
  t.match(text, /\r\nretry-after: 1\r\n/i)
  t.match(text, /\r\ncontent-type: application\/problem\+json/i)
  t.match(text, /"type":"\/problems\/shutting-down"/)
})

t.test('while draining: readiness is 503 shutting-down, requests are served and close their connections', async (t) => {
  const { app, tenant } = await buildTestApp(t)
  const { headers } = await tenant()
  t.equal((await app.inject({ url: '/health/ready' })).statusCode, 200)
  app.drain.begin()
  const ready = await app.inject({ url: '/health/ready' })
  t.equal(ready.statusCode, 503)
  t.equal(ready.json().type, '/problems/shutting-down')
  const me = await app.inject({ url: '/v1/me', headers })
  t.equal(me.statusCode, 200)
  t.equal(me.headers.connection, 'close')
  t.equal((await app.inject({ url: '/health/live' })).statusCode, 200, 'liveness is unaffected')
})
