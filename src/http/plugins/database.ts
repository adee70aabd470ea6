import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'

declare module 'fastify' {
  interface FastifyInstance { db: pg.Pool }
}

/** Shares the pool with every route and ends it when the app closes (after the HTTP server). */
export default fp(async function database (app: FastifyInstance, opts: { pool: pg.Pool }) {
  app.decorate('db', opts.pool)
  app.addHook('onClose', async () => { if (!opts.pool.ended) await opts.pool.end() })
}, { name: 'database' })
