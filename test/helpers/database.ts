import { randomBytes } from 'node:crypto'
import pg from 'pg'
import tap from 'tap'
import { migrate } from '../../src/db/migrate.js'
import { startPostgres } from './postgres.js'

// Each test file gets its own throwaway database: on TEST_DATABASE_URL's server when set,
// else on one PostgreSQL per test process (the npm-shipped binaries). Dropped afterwards.
interface Server { adminUrl: string, stop: () => Promise<void> }
let server: Promise<Server> | undefined
let stopRegistered = false

async function startLocal (): Promise<Server> {
  const local = await startPostgres({ prefix: 'rp-test-pg-', settings: { fsync: 'off' } })
  return { adminUrl: local.url, stop: local.destroy }
}

async function sharedServer (): Promise<Server> {
  const given = process.env.TEST_DATABASE_URL
  server ??= given !== undefined && given !== ''
    ? Promise.resolve({ adminUrl: given, stop: async () => {} })
    : startLocal()
  const started = await server
  // The server outlives each test's database; it stops once, when the whole file is done.
  if (!stopRegistered) { stopRegistered = true; tap.teardown(started.stop) }
  return started
}

export interface TestDatabase { url: string, name: string }

interface Teardown { teardown: (fn: () => unknown) => void }

/** Creates, migrates and (on teardown) drops a database for one test file. */
export async function testDatabase (t: Teardown, { migrated = true } = {}): Promise<TestDatabase> {
  const { adminUrl } = await sharedServer()
  const name = `rp_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  if (migrated) await migrate(url.toString())
  t.teardown(async () => {
    const dropper = new pg.Client({ connectionString: adminUrl })
    await dropper.connect()
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await dropper.end()
  })
  return { url: url.toString(), name }
}
