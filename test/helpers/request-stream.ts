import http from 'node:http'

/**
 * A stream of HTTP requests from several clients, some on keep-alive connections and some on a
 * new connection each, classified by what the client saw: an HTTP answer, a refused connection
 * (nothing was sent) or a reset (sent, and the client cannot know what happened). Used by the
 * shutdown drain test; reusable for chaos tests (payments, webhooks) across restarts and kills.
 */
export interface StreamRequest { method: string, path: string, headers?: Record<string, string>, body?: unknown }

export type Outcome =
  | { kind: 'answered', seq: number, status: number, connectionClose: boolean, retryAfter: string | null, contentType: string | null, body: string }
  | { kind: 'refused' | 'reset' | 'error', seq: number, code: string }

export interface StreamResult {
  sent: number
  answered: number
  refused: number
  reset: number
  errors: number
  byStatus: Record<number, number>
  outcomes: Outcome[]
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED'])

/** Sends one request; never throws. */
export async function send (baseUrl: string, agent: http.Agent | false, request: StreamRequest, seq = 0): Promise<Outcome> {
  const url = new URL(request.path, baseUrl)
  const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body))
  const headers: Record<string, string> = { ...request.headers }
  if (payload !== undefined) { headers['content-type'] = 'application/json'; headers['content-length'] = String(payload.length) }
  if (agent === false) headers.connection = 'close'
  return await new Promise<Outcome>((resolve) => {
    const req = http.request(url, { method: request.method, headers, agent, timeout: 60000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        resolve({
          kind: 'answered',
          seq,
          status: res.statusCode ?? 0,
          connectionClose: /close/i.test(String(res.headers.connection ?? '')),
          retryAfter: res.headers['retry-after'] ?? null,
          contentType: res.headers['content-type'] ?? null,
          body: Buffer.concat(chunks).toString('utf8')
        })
      })
      res.on('error', (err: NodeJS.ErrnoException) => { resolve({ kind: 'reset', seq, code: err.code ?? err.message }) })
    })
    req.on('timeout', () => { req.destroy(Object.assign(new Error('client timeout'), { code: 'TIMEOUT' })) })
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? err.message
      // "socket hang up": the connection closed after the request was written, with no answer.
      const kind = code === 'ECONNREFUSED' ? 'refused' : RESET_CODES.has(code) || /socket hang up/.test(err.message) ? 'reset' : 'error'
      resolve({ kind, seq, code })
    })
    req.end(payload)
  })
}

export interface StreamOptions {
  baseUrl: string
  /** Clients that reuse one keep-alive connection (until the server says `Connection: close`). */
  keepAliveClients: number
  /** Clients that open a new connection for every request. */
  newConnectionClients: number
  /** The next request to send (numbered from 1). */
  next: (seq: number) => StreamRequest
  /** Clients start requests only while this is true (a load balancer still routing here). */
  routing: () => boolean
}

export interface RequestStream {
  /** Requests started so far: a sequence number to compare outcomes against. */
  readonly started: number
  readonly answered: number
  done: Promise<StreamResult>
}

export function requestStream (opts: StreamOptions): RequestStream {
  let started = 0
  let answered = 0
  const outcomes: Outcome[] = []
  const client = async (agent: http.Agent | false): Promise<void> => {
    while (opts.routing()) {
      const seq = ++started
      const outcome = await send(opts.baseUrl, agent, opts.next(seq), seq)
      if (outcome.kind === 'answered') answered++
      outcomes.push(outcome)
    }
    if (agent !== false) agent.destroy()
  }
  const clients = [
    ...Array.from({ length: opts.keepAliveClients }, async () => { await client(new http.Agent({ keepAlive: true, maxSockets: 1 })) }),
    ...Array.from({ length: opts.newConnectionClients }, async () => { await client(false) })
  ]
  const done = Promise.all(clients).then(() => {
    const byStatus: Record<number, number> = {}
    for (const o of outcomes) if (o.kind === 'answered') byStatus[o.status] = (byStatus[o.status] ?? 0) + 1
    const count = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).length
    return { sent: outcomes.length, answered: count('answered'), refused: count('refused'), reset: count('reset'), errors: count('error'), byStatus, outcomes }
  })
  return { get started () { return started }, get answered () { return answered }, done }
}

/**
 * A load balancer's view of a replica: polls readiness on new connections and stops routing
 * `lagMs` after it first sees the replica not ready (as an orchestrator removes an endpoint some
 * time after the probe fails). `notReadyAt` is the stream's `started` count at that moment.
 */
export class LoadBalancer {
  routing = true
  notReadyAt: number | undefined
  private polling = true
  private readonly loop: Promise<void>

  constructor (baseUrl: string, private readonly stream: () => number, lagMs: number, everyMs = 50) {
    this.loop = (async () => {
      while (this.polling) {
        const probe = await send(baseUrl, false, { method: 'GET', path: '/health/ready' })
        if (probe.kind !== 'answered' || probe.status !== 200) {
          this.notReadyAt = this.stream()
          await new Promise((resolve) => setTimeout(resolve, lagMs))
          this.routing = false
          return
        }
        await new Promise((resolve) => setTimeout(resolve, everyMs))
      }
    })()
  }

  async stop (): Promise<void> { this.polling = false; this.routing = false; await this.loop }
}
