import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import Postgrator from 'postgrator'

export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')
/** Each stored function's one definition, re-applied after the versioned migrations (as Flyway's R__ files). */
export const functionsDir = path.join(migrationsDir, 'functions')

// An arbitrary constant: replicas migrating at once queue on this lock instead of racing.
const MIGRATION_LOCK = 7_301_998_231

export interface MigrationResult { from: number, to: number, applied: string[] }

export async function migrate (connectionString: string, target?: string): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    const postgrator = new Postgrator({
      migrationPattern: path.join(migrationsDir, '*.sql'),
      driver: 'pg',
      database: client.database ?? '',
      schemaTable: 'schemaversion',
      execQuery: async (query: string) => await client.query(query)
    })
    const from = Number(await postgrator.getDatabaseVersion())
    const applied = (await postgrator.migrate(target)).map((m) => path.relative(migrationsDir, m.filename))
    const to = Number(await postgrator.getDatabaseVersion())
    // Functions are written against the latest schema: an explicit older target leaves them as they were.
    if (target === undefined || target === 'max') applied.push(...await applyFunctions(client))
    return { from, to, applied }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    await client.end()
  }
}

export async function functionFiles (): Promise<string[]> {
  return (await readdir(functionsDir)).filter((f) => f.endsWith('.sql')).sort().map((f) => path.join(functionsDir, f))
}

/** CREATE OR REPLACE every function file, in one transaction; returns the files whose text changed the database. */
async function applyFunctions (client: pg.Client): Promise<string[]> {
  const changed: string[] = []
  await client.query('BEGIN')
  try {
    for (const file of await functionFiles()) {
      const text = await readFile(file, 'utf8')
      const name = path.basename(file, '.sql')
      const before = await functionSource(client, name)
      await client.query(text)
      if (before !== await functionSource(client, name)) changed.push(path.relative(migrationsDir, file))
    }
    await client.query('COMMIT')
  } catch (err) {
    await client.query('ROLLBACK')
    throw err
  }
  return changed
}

/** The body PostgreSQL holds for a function named like its file, or undefined when there is none. */
export async function functionSource (db: Pick<pg.Client, 'query'>, name: string): Promise<string | undefined> {
  const { rows } = await db.query<{ src: string }>(
    "SELECT prosrc AS src FROM pg_proc WHERE proname = $1 AND pronamespace = 'public'::regnamespace", [name])
  return rows[0]?.src
}
