import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import type { Logger } from 'pino'
import { EMBEDDED_DATABASE, startEmbeddedDatabase } from './embedded.js'
import { migrate } from './migrate.js'

export interface EmbeddedConnection {
  connectionString: string
  /** Stops the embedded server if this call started it; a no-op when it was already running. */
  release: () => Promise<void>
  startedHere: boolean
}

/**
 * The embedded database under DATA_DIR, for the CLIs in the embedded default: the running one
 * (`npm start` owns it; its port is in the cluster's postmaster.pid), or one started for the
 * command and stopped afterwards. Either way migrated, so a CLI works on a fresh DATA_DIR too.
 */
export async function embeddedConnection (dataDir: string, port: number, log: Logger): Promise<EmbeddedConnection> {
  const root = path.resolve(dataDir)
  const running = await runningEmbedded(root)
  if (running !== undefined) return { connectionString: running, release: async () => {}, startedHere: false }
  const embedded = await startEmbeddedDatabase(root, port, log)
  try {
    await migrate(embedded.connectionString)
  } catch (err) {
    await embedded.stop()
    throw err
  }
  return { connectionString: embedded.connectionString, release: embedded.stop, startedHere: true }
}

async function runningEmbedded (root: string): Promise<string | undefined> {
  const pidFile = path.join(root, 'pg', 'postmaster.pid')
  const passwordFile = path.join(root, 'pg-password')
  if (!existsSync(pidFile) || !existsSync(passwordFile)) return undefined
  // postmaster.pid: pid, data directory, start time, port, socket directory, listen address, …
  const port = Number((await readFile(pidFile, 'utf8')).split('\n')[3])
  if (!Number.isInteger(port) || port <= 0) return undefined
  const password = (await readFile(passwordFile, 'utf8')).trim()
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return url
  } catch {
    // A stale pid file (the server was killed): start our own.
    return undefined
  } finally {
    await client.end().catch(() => {})
  }
}
