import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import type { Config } from './config.js'
import type { Clock } from './services/clock.js'
import api from './http/api.js'
import database from './http/plugins/database.js'
import caches from './http/plugins/caches.js'
import services from './http/plugins/services.js'
import retention from './http/plugins/retention.js'
import sweeper from './http/plugins/sweeper.js'
import metrics from './http/plugins/metrics.js'
import webhookDelivery from './http/plugins/webhook-delivery.js'

declare module 'fastify' {
  interface FastifyInstance { config: Config }
}

export interface AppOptions {
  config: Config
  /** The pool the app queries; whoever created it ends it after the app has closed. */
  pool: pg.Pool
  /** Where "now" comes from (default: the system clock); tests set their own. */
  clock?: Clock
}

/**
 * The service as a Fastify plugin: the database and what is built on it (caches, group-commit
 * batchers, services, pruning), then the HTTP API. It never listens; src/server.ts does.
 */
export default fp(async function app (fastify: FastifyInstance, opts: AppOptions) {
  fastify.decorate('config', opts.config)
  await fastify.register(database, { pool: opts.pool })
  await fastify.register(caches)
  await fastify.register(metrics)
  await fastify.register(services, { clock: opts.clock })
  await fastify.register(retention)
  await fastify.register(sweeper)
  await fastify.register(webhookDelivery, { clock: opts.clock })
  await fastify.register(api)
}, { name: 'app' })
