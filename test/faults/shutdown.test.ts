import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { holdTableLock } from '../helpers/cluster.js'
import { testDatabase } from '../helpers/database.js'
import { freePort } from '../helpers/ports.js'
import { startServer, waitFor } from '../helpers/process.js'
import { createQuote } from '../helpers/quotes.js'

const post = async (baseUrl: string, headers: Record<string, string>, key: string, body: unknown) => {
  try {
    const res = await fetch(`${baseUrl}/v1/plans`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) })
    return res.status
  } catch {
    return 0 // connection refused or reset
  }
}

/**
 * HTTP connections the server process has accepted on `port` (Linux /proc): its socket inodes
 * that are established TCP connections on that local port. A connection the kernel completed but
 * the server has not yet accepted is not counted.
 */
function acceptedConnections (pid: number, port: number): number {
  const inodes = new Set<string>()
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]
      if (inode !== undefined) inodes.add(inode)
    } catch {}
  }
  let n = 0
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = ''
    try { text = readFileSync(table, 'utf8') } catch { continue }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      if (f.length < 10) continue
      if (parseInt(f[1]!.split(':')[1]!, 16) === port && f[3] === '01' && inodes.has(f[9]!)) n++
    }
  }
  return n
}

t.test('SIGTERM with 100 slow requests in flight: all complete, new ones are refused, exit 0', async (t) => {
  const database = await testDatabase(t)
  const { app, tenant } = await buildTestApp(t, { env: { RATE_LIMIT_PER_MINUTE: '1000000' }, database })
  const { headers } = await tenant()
  const quotes = await Promise.all(Array.from({ length: 100 }, async (_, i) => await createQuote(app, headers, `LN-SIG-${i}`)))
  const server = startServer(await freePort(), {
    DATABASE_URL: database.url, LOG_LEVEL: 'warn', PG_LOCK_TIMEOUT_MS: '20000', PG_CONNECTION_TIMEOUT_MS: '20000', SHUTDOWN_GRACE_MS: '10000', RATE_LIMIT_PER_MINUTE: '1000000'
  })
  t.teardown(async () => { await server.stop('SIGKILL') })
  t.ok(await waitFor(server, '/health/ready'), server.output())

  // Every accept blocks on this lock until it is released: 100 slow requests.
  const lock = await holdTableLock(database.url, 'plans')
  const inFlight = quotes.map(async (q, i) => await post(server.baseUrl, headers, `sig-${i}`, { quoteId: q.id, optionId: 'settlement' }))
  // In flight means the server has them: wait until it has accepted (nearly) every connection
  // (one may reuse the readiness probe's), then give it a moment to read them. A fixed sleep
  // was too short on a slow machine.
  const port = Number(new URL(server.baseUrl).port)
  for (const until = Date.now() + 20000; Date.now() < until && acceptedConnections(server.child.pid!, port) < 99;) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
  const signalledAt = Date.now()
  server.child.kill('SIGTERM')
  await new Promise((resolve) => setTimeout(resolve, 300))
  const late = await post(server.baseUrl, headers, 'sig-late', { quoteId: quotes[0]!.id, optionId: 'settlement' })
  t.ok(late === 0 || late === 503, `a new request after SIGTERM is refused (${late})`)
  await lock.release()
  const codes = await Promise.all(inFlight)
  t.same(codes, Array(100).fill(201), 'every in-flight request completed')
  const code = await server.exited
  t.equal(code, 0, 'exit 0')
  t.ok(Date.now() - signalledAt < 10000, 'within the grace period')
})

t.test('a request stuck past the grace period: forced exit, its transaction rolled back', async (t) => {
  const database = await testDatabase(t)
  const { app, tenant, pool } = await buildTestApp(t, { database })
  const { headers, tenantId } = await tenant()
  const quote = await createQuote(app, headers, 'LN-STUCK')
  const server = startServer(await freePort(), { DATABASE_URL: database.url, LOG_LEVEL: 'warn', PG_LOCK_TIMEOUT_MS: '60000', SHUTDOWN_GRACE_MS: '1000' })
  t.teardown(async () => { await server.stop('SIGKILL') })
  t.ok(await waitFor(server, '/health/ready'), server.output())
  const lock = await holdTableLock(database.url, 'plans')
  const stuck = post(server.baseUrl, headers, 'stuck', { quoteId: quote.id, optionId: 'settlement' })
  await new Promise((resolve) => setTimeout(resolve, 500))
  server.child.kill('SIGTERM')
  const code = await server.exited
  t.not(code, 0, 'forced exit after the grace period')
  t.equal(await stuck, 0, 'the stuck request got no answer')
  // Its backend notices the vanished client (client_connection_check_interval) and rolls back,
  // even while still waiting for the lock: nothing commits once the lock is released.
  let gone = false
  for (let i = 0; i < 100 && !gone; i++) {
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
    gone = rows[0].n === 0
    if (!gone) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  t.ok(gone, "the dead server's statement no longer waits")
  await lock.release()
  await new Promise((resolve) => setTimeout(resolve, 200))
  const { rows: plans } = await pool.query('SELECT count(*)::int AS n FROM plans WHERE tenant_id = $1', [tenantId])
  const { rows: keys } = await pool.query('SELECT count(*)::int AS n FROM idempotency_keys WHERE tenant_id = $1', [tenantId])
  t.equal(plans[0].n, 0)
  t.equal(keys[0].n, 0)
})
