// Paced, open-loop load: requests leave at even intervals (rate per second over the whole run),
// whatever the answers do, and each latency counts from the moment its request was due. This is
// what "latency at half load" means. autocannon's rate limit is a per-connection quota per second
// (each connection sends back to back until its quota is used, then waits for the next second),
// so half the rate was full load for half of every second, and the p99 was full load's.
// The first `settleSeconds` are load but not measurement: the agent opens its sockets then, and
// on a fresh agent the first ~50 ms queue behind connection set-up (at 1,500 requests/s that
// alone is 0.5 % of a 10-second run, half the budget of a p99).
import http from 'node:http'

export async function paced ({ url, connections, seconds, max = Infinity, rate, method = 'GET', headers = {}, next, onBody, settleSeconds = Math.min(1, seconds / 5) }) {
  const target = new URL(url)
  // At most `connections` requests in flight; the rest wait in the agent's queue, on the clock.
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  const interval = 1000 / rate
  const total = Math.max(1, Math.min(max, Math.round(rate * seconds)))
  const latencies = []
  const statusCounts = {}
  let errors = 0
  let non2xx = 0
  let ok = 0
  let sent = 0
  let done = 0
  const start = performance.now()
  const recordFrom = start + settleSeconds * 1000

  const fire = (dueAt) => new Promise((resolve) => {
    const r = next()
    const req = http.request({
      agent,
      hostname: target.hostname,
      port: target.port,
      method,
      path: r.path ?? target.pathname,
      headers: { ...headers, ...r.headers, ...(r.body === undefined ? {} : { 'content-length': Buffer.byteLength(r.body) }) }
    }, (res) => {
      const chunks = []
      res.on('data', (c) => { if (onBody) chunks.push(c) })
      res.on('end', () => {
        if (dueAt >= recordFrom) latencies.push(performance.now() - dueAt)
        statusCounts[res.statusCode] = (statusCounts[res.statusCode] ?? 0) + 1
        if (res.statusCode >= 200 && res.statusCode < 300) ok++
        else non2xx++
        if (onBody) onBody(res.statusCode, Buffer.concat(chunks).toString())
        resolve()
      })
    })
    req.setTimeout(30000, () => req.destroy(new Error('timeout')))
    req.on('error', () => { errors++; resolve() })
    if (r.body !== undefined) req.write(r.body)
    req.end()
  })

  const inflight = []
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1)
      while (sent < due) {
        const dueAt = start + sent * interval
        sent++
        inflight.push(fire(dueAt).then(() => { done++ }))
      }
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(interval, start + sent * interval - performance.now())))
      else resolve()
    }
    tick()
  })
  await Promise.all(inflight)
  agent.destroy()
  const elapsed = (performance.now() - start) / 1000
  latencies.sort((a, b) => a - b)
  const at = (q) => latencies.length === 0 ? NaN : latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]
  return {
    rps: done / elapsed,
    completed: ok + non2xx,
    ok,
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    p50: at(0.5),
    p99: at(0.99),
    errors,
    non2xx,
    seconds: elapsed,
    statusCounts
  }
}
