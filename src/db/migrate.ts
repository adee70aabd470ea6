import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import Postgrator from 'postgrator'

export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')

// An arbitrary constant: replicas migrating at once queue on this lock instead of racing.
const MIGRATION_LOCK = 7_301_998_231

export interface MigrationResult { from: number, to: number, applied: string[] }

export async function migrate (connectionString: string, target?: string): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    const postgrator = new Postgrator({
      migrationPattern: path.join(migrationsDir, '*'),
      driver: 'pg',
      database: client.database ?? '',
      schemaTable: 'schemaversion',
      execQuery: async (query: string) => await client.query(query)
    })
    const from = Number(await postgrator.getDatabaseVersion())
    const applied = await postgrator.migrate(target)
    const to = Number(await postgrator.getDatabaseVersion())
    return { from, to, applied: applied.map((m) => m.filename) }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    await client.end()
  }
}
