// The bench's PostgreSQL: a throwaway cluster from the tests' launcher (test/helpers/postgres.ts),
// or the server named by BENCH_DATABASE_URL; and the few statements the bench runs itself.
import pg from 'pg'
import { startPostgres, type PostgresSettings } from '../../test/helpers/postgres.js'
import { onCleanup } from './cleanup.js'

export interface BenchDatabase {
  url: string
  /** The postmaster's pid, to meter PostgreSQL's CPU; undefined for a server the bench did not start. */
  postmasterPid?: number
}

/** BENCH_PG_BIN: other PostgreSQL binaries (initdb, pg_ctl, postgres, pgbench), e.g. Debian's. */
export const PG_BIN = process.env.BENCH_PG_BIN

export async function benchDatabase ({ settings = {} }: { settings?: PostgresSettings } = {}): Promise<BenchDatabase> {
  const given = process.env.BENCH_DATABASE_URL
  if (given !== undefined && given !== '') return { url: given }
  const server = await startPostgres({ settings, binDir: PG_BIN, prefix: 'bench-pg-' })
  onCleanup(server.destroy)
  return { url: server.url, postmasterPid: await server.postmasterPid() }
}

async function withClient<T> (url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Runs SQL text (several statements allowed, no parameters) on a connection of its own. */
export async function execute (url: string, sql: string): Promise<void> {
  await withClient(url, async (client) => { await client.query(sql) })
}

/** The rows of one query, on a connection of its own. */
export async function query<R extends pg.QueryResultRow> (url: string, sql: string): Promise<R[]> {
  return await withClient(url, async (client) => (await client.query<R>(sql)).rows)
}

// Before a measured phase, as pgbench vacuums before it runs: planner statistics for the tables
// the warm-up just filled (a plan cached while a table was empty can pick the wrong index,
// plans_quote_idx for a primary-key lookup, until autovacuum's first ANALYZE, which a 10-second
// phase would not wait for); a vacuum, so autovacuum does not start on the previous phase's rows
// mid-phase; and a checkpoint, so a phase does not pay for the WAL of the ones before it (the
// quotes made for the plans phase otherwise set one off during it: bench/README.md).
export async function settleDatabase (url: string): Promise<void> {
  await execute(url, 'VACUUM (ANALYZE)')
  await execute(url, 'CHECKPOINT')
}
