import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { build } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createPool, poolSettings } from '../../src/db/pool.js'
import { createTenant } from '../../src/db/tenants-repository.js'
import { startCluster, type Cluster } from './cluster.js'
import { TEST_ENV } from './env.js'

/** An app with one tenant on its own throwaway cluster, which the test may stop, start or lock. */
export async function faultApp (t: { teardown: (fn: () => unknown) => void }, env: Record<string, string> = {}): Promise<{
  cluster: Cluster, app: FastifyInstance, pool: pg.Pool, tenantId: string, headers: Record<string, string>
}> {
  const cluster = await startCluster()
  t.teardown(cluster.destroy)
  const config = loadConfig({ LOG_LEVEL: 'silent', ...TEST_ENV, ...env, DATABASE_URL: cluster.url })
  const pool = createPool(poolSettings(config, cluster.url))
  const app = await build({ config, pool, logger: false })
  t.teardown(async () => { await app.close() })
  const { apiKey, tenantId } = await createTenant(pool, 'faults')
  return { cluster, app, pool, tenantId, headers: { authorization: `Bearer ${apiKey}` } }
}
