import pg from 'pg'
import type { Logger } from 'pino'
import type { Config } from '../config.js'

// DATE must stay a calendar string: the default parser builds a local-midnight Date that can shift
// a day. Set per pool, not on pg's global table. NUMERIC and BIGINT already arrive as strings,
// which is what money wants.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.DATE ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser
}

export interface PoolSettings {
  connectionString: string
  max: number
  connectionTimeoutMillis: number
  statementTimeoutMs: number
  lockTimeoutMs: number
  idleInTransactionTimeoutMs: number
  clientConnectionCheckMs: number
  applicationName?: string
}

export function createPool (settings: PoolSettings, log?: Pick<Logger, 'warn'>): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    max: settings.max,
    // Never wait forever for a connection: a dead database must become a fast 503.
    connectionTimeoutMillis: settings.connectionTimeoutMillis,
    idleTimeoutMillis: 30000,
    keepAlive: true,
    types,
    application_name: settings.applicationName ?? 'repayment-plans',
    statement_timeout: settings.statementTimeoutMs,
    lock_timeout: settings.lockTimeoutMs,
    idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
    // A statement whose client has gone (a killed replica) is cancelled instead of committing
    // later, e.g. once a lock it waits for is released (PostgreSQL ≥ 14).
    // DateStyle is pinned so date text is ISO whatever the database's default.
    options: `-c client_connection_check_interval=${settings.clientConnectionCheckMs} -c DateStyle=ISO`
  })
  // An idle client losing its connection emits here; unhandled it would crash the process.
  pool.on('error', (err) => { log?.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'idle database client failed') })
  // A backend killed while its client is checked out (between two queries of a transaction)
  // emits 'error' on that client; without a listener it would crash the process. The pending
  // or next query fails anyway, and the request answers 503.
  pool.on('connect', (client) => {
    client.on('error', (err) => { log?.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'database connection lost') })
  })
  return pool
}

const DRAIN_LIMIT_MS = 5000

/**
 * Ends the pool once no connection has been checked out for a few polls (or after a bound):
 * requests whose caller already hung up can still be running after the HTTP server closed, and
 * they finish cleanly.
 */
export async function closePool (pool: pg.Pool): Promise<void> {
  const deadline = Date.now() + DRAIN_LIMIT_MS
  for (let quiet = 0; quiet < 3 && Date.now() < deadline;) {
    quiet = pool.totalCount === pool.idleCount && pool.waitingCount === 0 ? quiet + 1 : 0
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  if (!pool.ended) await pool.end()
}

// The hot statements are passed with a `name`: node-postgres then prepares each once per
// connection, so PostgreSQL parses and plans it once instead of on every call.
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>

export function poolSettings (config: Config, connectionString: string): PoolSettings {
  return {
    connectionString,
    max: config.PG_POOL_MAX,
    connectionTimeoutMillis: config.PG_CONNECTION_TIMEOUT_MS,
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: config.PG_LOCK_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    clientConnectionCheckMs: config.PG_CLIENT_CONNECTION_CHECK_MS
  }
}
