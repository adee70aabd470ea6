import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type pg from 'pg'
import app from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { closePool, createPool, poolSettings } from '../../src/db/pool.js'
import { createTenant } from '../../src/db/tenants-repository.js'
import { serverOptions } from '../../src/http/server-options.js'
import type { Clock } from '../../src/services/clock.js'
import { testDatabase, type TestDatabase } from './database.js'
import { TEST_ENV } from './env.js'

export interface TestApp {
  app: FastifyInstance
  pool: pg.Pool
  database: TestDatabase
  config: Config
  /** Creates a tenant and returns headers that authenticate as it. */
  tenant: (name?: string) => Promise<{ tenantId: string, apiKey: string, headers: Record<string, string> }>
}

export interface TestAppOptions {
  /** Settings on top of the test defaults. */
  env?: Record<string, string>
  /** A database to use instead of a fresh one (a second app on the same data, a fault cluster). */
  database?: TestDatabase
  /** Called with the Fastify instance before the app is registered (e.g. to add an onRoute hook). */
  beforeRegister?: (server: FastifyInstance) => void
  /** A pino instance to log to; silent by default. */
  logger?: FastifyServerOptions['loggerInstance']
  /** The app's clock (default: the system's). */
  clock?: Clock
}

let tenantCounter = 0

/**
 * The app as the server builds it (src/server.ts): Fastify with the server's options, the app
 * plugin on its own pool. Closed, pool included, when the test ends.
 */
export async function buildTestApp (t: { teardown: (fn: () => unknown) => void }, opts: TestAppOptions = {}): Promise<TestApp> {
  const database = opts.database ?? await testDatabase(t)
  const config = loadConfig({ LOG_LEVEL: 'silent', ...TEST_ENV, ...opts.env, DATABASE_URL: database.url })
  const pool = createPool(poolSettings(config, database.url))
  const server = Fastify(serverOptions(config, opts.logger ?? false))
  opts.beforeRegister?.(server)
  await server.register(app, { config, pool, ...(opts.clock === undefined ? {} : { clock: opts.clock }) })
  await server.ready()
  t.teardown(async () => { await server.close(); await closePool(pool) })
  return {
    app: server,
    pool,
    database,
    config,
    tenant: async (name?: string) => {
      const created = await createTenant(pool, name ?? `lender-${process.pid}-${++tenantCounter}`)
      return { tenantId: created.tenantId, apiKey: created.apiKey, headers: { authorization: `Bearer ${created.apiKey}` } }
    }
  }
}
