// A throwaway PostgreSQL 15 cluster in a temp dir (127.0.0.1 only, socket inside the dir),
// or the server named by BENCH_DATABASE_URL. Always registered for removal.
import { chown, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { onCleanup } from './cleanup.js'
import { freePort, run } from './proc.js'

export const PG_BIN = process.env.BENCH_PG_BIN ?? '/usr/lib/postgresql/15/bin'
const isRoot = process.getuid?.() === 0

// PostgreSQL refuses to run as root: drop to the postgres system user.
function pg (tool, args, cwd) {
  const bin = path.join(PG_BIN, tool)
  return isRoot
    ? run('runuser', ['-u', 'postgres', '--', bin, ...args], { cwd })
    : run(bin, args, { cwd })
}

export async function startCluster ({ settings = {} } = {}) {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, external: true }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-pg-'))
  onCleanup(() => rm(dir, { recursive: true, force: true }))
  if (isRoot) {
    const { uid, gid } = await postgresIds()
    await chown(dir, uid, gid)
  }
  const data = path.join(dir, 'data')
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], dir)
  const port = await freePort()
  const opts = {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: dir,
    max_connections: 100,
    ...settings
  }
  const o = Object.entries(opts).map(([k, v]) => `-c ${k}=${v}`).join(' ')
  await pg('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-o', o, '-w', '-t', '60', 'start'], dir)
  onCleanup(() => pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], dir).catch(() => {}))
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir, port, external: false }
}

async function postgresIds () {
  const out = await run('id', ['postgres'])
  return { uid: Number(/uid=(\d+)/.exec(out)[1]), gid: Number(/gid=(\d+)/.exec(out)[1]) }
}

// psql against the bench database (runs as the caller: it only needs the URL).
export function psql (url, sql) {
  return run(path.join(PG_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-d', url, '-c', sql])
}

// Before a measured phase, as pgbench vacuums before it runs: planner statistics for the tables
// the warm-up just filled (a plan cached while a table was empty can pick the wrong index,
// plans_quote_idx for a primary-key lookup, until autovacuum's first ANALYZE, which a 10-second
// phase would not wait for); a vacuum, so autovacuum does not start on the previous phase's rows
// mid-phase; and a checkpoint, so a phase does not pay for the WAL of the ones before it (the
// ~25,000 quotes made for the plans phase otherwise set one off during it: p99 220 ms).
export async function settleDatabase (url) {
  await psql(url, 'VACUUM (ANALYZE)')
  await psql(url, 'CHECKPOINT')
}
