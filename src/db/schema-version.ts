import { readdirSync } from 'node:fs'
import type { Queryable } from './pool.js'
import { migrationsDir } from './migrate.js'

/** The highest `NNN.do.*.sql` in migrations/: what the code expects the database to be at. */
export function expectedSchemaVersion (): number {
  return Math.max(0, ...readdirSync(migrationsDir)
    .map((f) => /^(\d+)\.do\..+\.sql$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number))
}

export async function databaseSchemaVersion (db: Queryable): Promise<number> {
  const { rows: [table] } = await db.query<{ exists: boolean }>("SELECT to_regclass('schemaversion') IS NOT NULL AS exists")
  if (table?.exists !== true) return 0
  const { rows } = await db.query<{ version: string | null }>('SELECT max(version)::text AS version FROM schemaversion')
  return Number(rows[0]?.version ?? 0)
}
