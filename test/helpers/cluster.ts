import pg from 'pg'
import { migrate } from '../../src/db/migrate.js'
import { startPostgres, type Postgres } from './postgres.js'

export type Cluster = Pick<Postgres, 'url' | 'stop' | 'start' | 'destroy'>

/** A throwaway PostgreSQL cluster, its `faults` database migrated, that a fault test may stop and start at will. */
export async function startCluster (): Promise<Cluster> {
  const server = await startPostgres({ prefix: 'rp-fault-pg-', settings: { fsync: 'off', max_connections: 200 } })
  try {
    const admin = new pg.Client({ connectionString: server.url })
    await admin.connect()
    await admin.query('CREATE DATABASE faults')
    await admin.end()
    const url = server.urlFor('faults')
    await migrate(url)
    return { url, stop: server.stop, start: server.start, destroy: server.destroy }
  } catch (err) {
    await server.destroy()
    throw err
  }
}

/** A session holding an exclusive lock on a table until released: every writer to it waits. */
export async function holdTableLock (url: string, table: string): Promise<{ release: () => Promise<void> }> {
  const holder = new pg.Client({ connectionString: url })
  await holder.connect()
  await holder.query('BEGIN')
  await holder.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`)
  return { release: async () => { await holder.query('ROLLBACK'); await holder.end() } }
}
