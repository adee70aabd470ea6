// autocannon, programmatic: one request template whose body/path is rebuilt per request. With a
// `rate`, requests are paced evenly instead (paced.ts): autocannon's own rate limit sends bursts.
import autocannon, { type Request } from 'autocannon'
import type { LoadOptions, LoadResult } from './load-types.js'
import { paced } from './paced.js'

export async function load ({ url, connections, seconds, max, rate, method = 'GET', headers = {}, next, onBody }: LoadOptions): Promise<LoadResult> {
  if (rate !== undefined) return await paced({ url, connections, seconds, max, rate, method, headers, next, onBody })
  const request: Request = {
    method,
    headers,
    // `next()` returns { path?, body?, headers? } for this request.
    setupRequest: (req) => {
      const r = next()
      return { ...req, ...r, headers: { ...req.headers, ...r.headers } }
    }
  }
  if (onBody) request.onResponse = (status, body) => { onBody(status, body) }
  // autocannon splits the cap per connection, and a 0 share would mean "no limit"
  if (max !== undefined) {
    if (max < 1) throw new Error('nothing to send: the request cap is below 1')
    connections = Math.min(connections, max)
  }
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    // a cap on top of the duration (autocannon's `amount` would disable the duration)
    maxOverallRequests: max,
    timeout: 30,
    requests: [request]
  })
  const completed = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx']
  return {
    rps: completed / result.duration,
    completed,
    ok: result['2xx'],
    mean: result.latency.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    seconds: result.duration,
    statusCounts: result.statusCodeStats
  }
}
