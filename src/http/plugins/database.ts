import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'

declare module 'fastify' {
  interface FastifyInstance { db: pg.Pool }
}

/** Shares the pool with every plugin and route. Whoever created the pool ends it (src/server.ts). */
export default fp(async function database (app: FastifyInstance, opts: { pool: pg.Pool }) {
  app.decorate('db', opts.pool)
}, { name: 'database' })
