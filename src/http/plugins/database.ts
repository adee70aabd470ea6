import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'

declare module 'fastify' {
  interface FastifyInstance { db: pg.Pool }
}

const DRAIN_LIMIT_MS = 5000

/**
 * Shares the pool with every route and ends it when the app closes (after the HTTP server).
 * Requests whose caller already hung up can still be running then: the pool is ended only once
 * no connection has been checked out for a few polls (or after a bound), so they finish cleanly.
 */
export default fp(async function database (app: FastifyInstance, opts: { pool: pg.Pool }) {
  const pool = opts.pool
  app.decorate('db', pool)
  app.addHook('onClose', async () => {
    const deadline = Date.now() + DRAIN_LIMIT_MS
    for (let quiet = 0; quiet < 3 && Date.now() < deadline;) {
      quiet = pool.totalCount === pool.idleCount && pool.waitingCount === 0 ? quiet + 1 : 0
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    if (!pool.ended) await pool.end()
  })
}, { name: 'database' })
