import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { buildTestApp } from './app.js'
import { startCluster, type Cluster } from './cluster.js'

/** An app with one tenant on its own throwaway cluster, which the test may stop, start or lock. */
export async function faultApp (t: { teardown: (fn: () => unknown) => void }, env: Record<string, string> = {}): Promise<{
  cluster: Cluster, app: FastifyInstance, pool: pg.Pool, tenantId: string, headers: Record<string, string>
}> {
  const cluster = await startCluster()
  t.teardown(cluster.destroy)
  const { app, pool, tenant } = await buildTestApp(t, { env, database: { url: cluster.url, name: 'faults' } })
  const { tenantId, headers } = await tenant('faults')
  return { cluster, app, pool, tenantId, headers }
}
