import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { build } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { createPool, poolSettings } from '../../src/db/pool.js'
import { createTenant } from '../../src/db/tenants-repository.js'
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

let tenantCounter = 0

/** An app on its own fresh database, closed (pool included) when the test ends. */
export async function buildTestApp (t: { teardown: (fn: () => unknown) => void }, env: Record<string, string> = {}, existing?: TestDatabase): Promise<TestApp> {
  const database = existing ?? await testDatabase(t)
  const config = loadConfig({ LOG_LEVEL: 'silent', ...TEST_ENV, ...env, DATABASE_URL: database.url })
  const pool = createPool(poolSettings(config, database.url))
  const app = await build({ config, pool, logger: false })
  await app.ready()
  t.teardown(async () => { await app.close() })
  return {
    app,
    pool,
    database,
    config,
    tenant: async (name?: string) => {
      const created = await createTenant(pool, name ?? `lender-${process.pid}-${++tenantCounter}`)
      return { tenantId: created.tenantId, apiKey: created.apiKey, headers: { authorization: `Bearer ${created.apiKey}` } }
    }
  }
}
