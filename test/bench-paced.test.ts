import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { paced } from '../bench/lib/paced.js'

// The bench's half-load generator must count a request's wait from when it was due, not from
// when a free connection finally sent it: otherwise a server that stalls looks fast, because
// only the few requests in flight during the stall see it (coordinated omission). Not a timing
// test: the bounds below follow from the stall the server makes, whatever the machine's speed.
t.test('paced load counts latency from each request\'s due time, through a server stall', async (t) => {
  let first: number | undefined
  const STALL_FROM = 1500
  const STALL_MS = 300
  const server = http.createServer((req, res) => {
    const now = performance.now()
    first ??= now
    const at = now - first
    // Everything that arrives during the stall is answered when it ends.
    const wait = at >= STALL_FROM && at < STALL_FROM + STALL_MS ? STALL_FROM + STALL_MS - at : 0
    setTimeout(() => { res.end('ok') }, wait)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const { port } = server.address() as AddressInfo

  const r = await paced({ url: `http://127.0.0.1:${port}/`, connections: 2, seconds: 3, rate: 200, settleSeconds: 0.5, next: () => ({}) })
  t.equal(r.completed, 600, 'the whole schedule was sent: rate × seconds')
  t.equal(r.ok, 600)
  t.equal(r.errors, 0)
  // ~60 requests fell due during the 300 ms stall; with 2 connections only 2 were on the wire.
  // Counted from their due times, well over 1 % of the 500 measured requests waited ≥ 200 ms.
  t.ok(r.p99 >= 200, `p99 ${r.p99} ms includes the time requests queued behind the stall`)
})

t.test('a connection the server drops is one error, and the run goes on with a new one', async (t) => {
  let n = 0
  const server = http.createServer((req, res) => {
    if (++n % 10 === 0) req.socket.destroy()
    else res.end('{"ok":true}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const { port } = server.address() as AddressInfo
  const r = await paced({ url: `http://127.0.0.1:${port}/`, connections: 4, seconds: 1, rate: 200, settleSeconds: 0, next: () => ({}) })
  t.equal(r.errors, 20, 'each dropped answer counted once')
  t.equal(r.ok, 180, 'every other request answered')
})
