// Paced, open-loop load: requests leave at even intervals (rate per second over the whole run),
// whatever the answers do, and each latency counts from the moment its request was due. This is
// what "latency at half load" means. autocannon's rate limit is a per-connection quota per second
// (each connection sends back to back until its quota is used, then waits for the next second),
// so half the rate was full load for half of every second, and the p99 was full load's.
//
// HTTP/1.1 on raw sockets, as autocannon does: node:http's client cost more CPU a request than
// the server's own work, on the same two cores (bench/README.md). The sockets are opened before the
// clock starts; the first `settleSeconds` are load but not measurement (JIT warm-up on both sides).
// One request per socket at a time; when all are busy, due requests wait in a queue, on the clock.
// Answers must carry Content-Length (the service's do); anything else counts as an error.
import net from 'node:net'
import type { LoadOptions, LoadResult } from './load-types.js'

const HEADER_END = Buffer.from('\r\n\r\n')

export interface PacedOptions extends LoadOptions {
  rate: number
  /** Seconds at the start that are load but not measurement. */
  settleSeconds?: number
}

interface Job { dueAt: number, bytes: Buffer }
interface Connection { send: (job: Job) => void }

export async function paced ({ url, connections, seconds, max = Infinity, rate, method = 'GET', headers = {}, next, onBody, settleSeconds = Math.min(1, seconds / 5) }: PacedOptions): Promise<LoadResult> {
  const target = new URL(url)
  const fixedHeaders = Object.entries({ host: target.host, ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('')
  const interval = 1000 / rate
  const total = Math.max(1, Math.min(max, Math.round(rate * seconds)))
  const latencies: number[] = []
  const statusCounts: Record<string, number> = {}
  let errors = 0
  let non2xx = 0
  let ok = 0
  let done = 0
  let start = 0
  let recordFrom = 0
  let finish = () => {}
  const finished = new Promise<void>((resolve) => { finish = resolve })

  // status 0: the connection failed before a whole answer arrived.
  const settle = (dueAt: number, status: number, body?: Buffer) => {
    if (status === 0) errors++
    else {
      if (dueAt >= recordFrom) latencies.push(performance.now() - dueAt)
      statusCounts[status] = (statusCounts[status] ?? 0) + 1
      if (status >= 200 && status < 300) ok++
      else non2xx++
      if (onBody) onBody(status, body?.toString() ?? '')
    }
    if (++done === total) finish()
  }

  const request = () => {
    const r = next()
    const extra = r.headers === undefined ? '' : Object.entries(r.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')
    const body = r.body === undefined ? undefined : Buffer.from(r.body)
    const head = `${method} ${r.path ?? target.pathname} HTTP/1.1\r\n${fixedHeaders}${extra}${body === undefined ? '' : `content-length: ${body.length}\r\n`}\r\n`
    return body === undefined ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), body])
  }

  const queue: Job[] = []
  const idle: Connection[] = []
  const dispatch = () => {
    while (queue.length > 0 && idle.length > 0) {
      const conn = idle.pop()
      const job = queue.shift()
      if (conn === undefined || job === undefined) return
      conn.send(job)
    }
  }

  // A keep-alive connection that sends one request at a time and reads one answer. If the server
  // closes it, the answer in flight is an error and a new socket takes its place.
  const sockets = new Set<net.Socket>()
  let closing = false
  const connection = async () => {
    await new Promise<void>((resolve, reject) => {
      let socket!: net.Socket
      let current: Job | undefined
      let chunks: Buffer[] = []
      let received = 0
      let headerLength = -1
      let bodyLength = 0
      let status = 0
      let timer: NodeJS.Timeout | undefined
      const conn: Connection = {
        send (job) {
          current = job
          timer = setTimeout(() => socket.destroy(), 30000)
          socket.write(job.bytes)
        }
      }
      const finishCurrent = (job: Job, s: number, body?: Buffer) => {
        clearTimeout(timer)
        current = undefined
        chunks = []
        received = 0
        headerLength = -1
        settle(job.dueAt, s, body)
      }
      const open = (first: boolean) => {
      // Handlers close over this socket, not the variable a reconnect reassigns.
        const s = net.connect({ host: target.hostname, port: Number(target.port) })
        socket = s
        sockets.add(s)
        s.setNoDelay(true)
        s.once('connect', () => { idle.push(conn); if (first) resolve(); else dispatch() })
        s.once('error', (err) => { if (first && s.connecting) reject(err) })
        s.once('close', () => {
          sockets.delete(s)
          const at = idle.indexOf(conn)
          if (at >= 0) idle.splice(at, 1)
          if (current !== undefined) finishCurrent(current, 0)
          if (!closing && done < total) open(false)
        })
        s.on('data', (chunk: Buffer) => {
          if (current === undefined) { s.destroy(); return }
          chunks.push(chunk)
          received += chunk.length
          if (headerLength < 0) {
            const all = chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks)
            chunks = [all]
            const end = all.indexOf(HEADER_END)
            if (end < 0) return
            headerLength = end + 4
            const head = all.toString('latin1', 0, end)
            status = Number(head.slice(9, 12))
            const length = /\r\ncontent-length: *(\d+)/i.exec(head)
            if (length === null) { s.destroy(); return }
            bodyLength = Number(length[1])
          }
          if (received < headerLength + bodyLength) return
          if (received > headerLength + bodyLength) { s.destroy(); return }
          const body = onBody ? Buffer.concat(chunks).subarray(headerLength) : undefined
          finishCurrent(current, status, body)
          idle.push(conn)
          dispatch()
        })
      }
      open(true)
    })
  }
  const shutdown = () => {
    closing = true
    for (const socket of sockets) socket.destroy()
  }

  await Promise.all(Array.from({ length: Math.min(connections, total) }, connection))
  start = performance.now()
  recordFrom = start + settleSeconds * 1000
  let sent = 0
  const tick = () => {
    const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1)
    while (sent < due) {
      queue.push({ dueAt: start + sent * interval, bytes: request() })
      sent++
    }
    dispatch()
    if (sent < total) setTimeout(tick, Math.max(0, Math.min(interval, start + sent * interval - performance.now())))
  }
  tick()
  await finished
  const elapsed = (performance.now() - start) / 1000
  shutdown()
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN
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
