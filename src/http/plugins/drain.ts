import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Problem } from '../problems.js'

/**
 * Shutdown in two phases, so no request that reached the server is answered with a reset.
 *
 * 1. Draining (`drain.begin()`, on SIGTERM): readiness answers 503 at once so load balancers stop
 *    routing here, while every request is still served; each answer carries `Connection: close`, so
 *    keep-alive clients leave their connections instead of reusing one the server will close.
 * 2. Closing (Fastify's `close()`, after SHUTDOWN_DELAY_MS): the listener stops accepting; requests
 *    still arriving on open connections get a 503 `/problems/shutting-down` problem with
 *    `Connection: close` and `Retry-After`; in-flight requests finish.
 *
 * Reusable: background work (sweeps, deliveries) can check `app.drain.draining` to stop taking
 * new work, and `drainThenClose` runs both phases for any Fastify instance with this plugin.
 */
export interface Drain {
  /** True from SIGTERM on: readiness is 503 and answers close their connections. */
  readonly draining: boolean
  /** True once the server has begun closing. */
  readonly closing: boolean
  begin: () => void
}

declare module 'fastify' {
  interface FastifyInstance { drain: Drain }
}

const RETRY_AFTER_SECONDS = '1'

export function shuttingDown (): Problem {
  return new Problem('shutting-down', 'this replica is shutting down; retry (another replica will answer)', {}, { connection: 'close', 'retry-after': RETRY_AFTER_SECONDS })
}

export default fp(async function drain (app: FastifyInstance) {
  let draining = false
  let closing = false
  app.decorate('drain', {
    get draining () { return draining },
    get closing () { return closing },
    begin () { draining = true }
  })
  app.addHook('preClose', async () => { draining = true; closing = true })
  app.addHook('onRequest', async () => {
    if (closing) throw shuttingDown()
  })
  app.addHook('onSend', async (_request, reply) => {
    if (draining) reply.header('connection', 'close')
  })
}, { name: 'drain' })

/** Readiness off, serve for `delayMs`, then stop accepting and let in-flight requests finish. */
export async function drainThenClose (app: FastifyInstance, delayMs: number): Promise<void> {
  app.drain.begin()
  if (delayMs > 0) {
    app.log.info({ delayMs }, 'draining: readiness is 503, still serving until the delay ends')
    await new Promise((resolve) => setTimeout(resolve, delayMs))
  }
  await app.close()
}
