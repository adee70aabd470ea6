import { timingSafeEqual, createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { BatchObserver } from '../../db/micro-batcher.js'
import { Problem, renderProblem } from '../problems.js'
import { sendProblem } from './problem-handler.js'

export interface Metrics {
  registry: Registry
  /** Given to the group-commit batchers: records each batch's size. */
  observeBatch: BatchObserver
  /** The METRICS_PORT listener's address once it listens (tests use port 0). */
  listenerAddress: () => AddressInfo | undefined
  /** Counts one webhook attempt by outcome (delivered, retry, failed, gone). */
  observeWebhookAttempt: (outcome: string) => void
  /** Records the lag from an event's commit to its delivery, in seconds. */
  observeWebhookLag: (seconds: number) => void
}

declare module 'fastify' {
  interface FastifyInstance { metrics: Metrics }
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest()

/**
 * Prometheus metrics (prom-client, one registry per app): requests by route and status with their
 * latency, the pool, group-commit batch sizes, and the process's own (event-loop delay, heap, GC).
 * Served only when asked for: on a separate listener (METRICS_PORT) and/or on the API port behind
 * a bearer token (METRICS_TOKEN); with neither, nothing serves them.
 */
export default fp(async function metrics (app: FastifyInstance) {
  const registry = new Registry()
  // Event-loop delay (nodejs_eventloop_lag_*), heap, GC, handles: prom-client's defaults.
  collectDefaultMetrics({ register: registry })

  const labelNames = ['method', 'route', 'status_code'] as const
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by route template and status', labelNames, registers: [registry] })
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its answer, by route template and status',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry]
  })
  const pool = app.db
  // Read from the pool when scraped.
  const poolGauges = [
    new Gauge({ name: 'pg_pool_connections', help: 'PostgreSQL connections of the pool', registers: [], collect () { this.set(pool.totalCount) } }),
    new Gauge({ name: 'pg_pool_idle_connections', help: 'Pool connections not checked out', registers: [], collect () { this.set(pool.idleCount) } }),
    new Gauge({ name: 'pg_pool_waiting_requests', help: 'Requests waiting for a pool connection', registers: [], collect () { this.set(pool.waitingCount) } })
  ]
  for (const gauge of poolGauges) registry.registerMetric(gauge)
  const batches = new Histogram({
    name: 'db_group_commit_batch_size',
    help: 'Items per group-commit batch (one statement, one commit), by batcher',
    labelNames: ['batcher'] as const,
    buckets: [1, 2, 4, 8, 16, 32, 64, 100],
    registers: [registry]
  })

  const webhookAttempts = new Counter({
    name: 'webhook_delivery_attempts_total',
    help: 'Webhook attempts by outcome: delivered (2xx), retry (failed, tried again later), failed (given up), gone (410: endpoint disabled)',
    labelNames: ['outcome'] as const,
    registers: [registry]
  })
  const webhookLag = new Histogram({
    name: 'webhook_delivery_lag_seconds',
    help: 'Time from an event\'s commit to the 2xx of its delivery (retries included)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21600, 86400],
    registers: [registry]
  })

  app.addHook('onResponse', async (request, reply) => {
    // The route template, never the raw URL: ids would make a series per request.
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode }
    requests.inc(labels)
    duration.observe(labels, reply.elapsedTime / 1000)
  })

  const config = app.config
  if (config.METRICS_TOKEN !== undefined) {
    const expected = sha256(`Bearer ${config.METRICS_TOKEN}`)
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      const given = request.headers.authorization
      if (given === undefined || !timingSafeEqual(sha256(given), expected)) {
        // Rendered here: this route is registered before the API's error handler.
        const { body, headers } = renderProblem(new Problem('unauthorized', 'send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"'))
        return sendProblem(request, reply, body, headers)
      }
      return await reply.type(registry.contentType).send(await registry.metrics())
    })
  }

  let listener: http.Server | undefined
  if (config.METRICS_PORT !== undefined) {
    const port = config.METRICS_PORT
    listener = http.createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') { res.writeHead(404).end(); return }
      registry.metrics().then(
        (text) => { res.writeHead(200, { 'content-type': registry.contentType }).end(text) },
        (err: unknown) => { app.log.error({ err }, 'metrics collection failed'); res.writeHead(500).end() })
    })
    app.addHook('onReady', async () => {
      await new Promise<void>((resolve, reject) => {
        listener!.once('error', reject)
        listener!.listen(port, config.METRICS_HOST, () => { listener!.off('error', reject); resolve() })
      })
    })
    app.addHook('onClose', async () => { await new Promise((resolve) => { listener!.close(resolve) }) })
  }

  app.decorate('metrics', {
    registry,
    observeBatch: (batcher: string, size: number) => { batches.observe({ batcher }, size) },
    listenerAddress: () => (listener?.address() ?? undefined) as AddressInfo | undefined,
    observeWebhookAttempt: (outcome: string) => { webhookAttempts.inc({ outcome }) },
    observeWebhookLag: (seconds: number) => { webhookLag.observe(seconds) }
  } satisfies Metrics)
}, { name: 'metrics', dependencies: ['database'] })
