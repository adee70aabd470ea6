import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { testDatabase } from './helpers/database.js'
import { freePort } from './helpers/ports.js'
import { runNode, startServer, waitFor } from './helpers/process.js'
import { eventually } from './helpers/eventually.js'

t.test('the image commands: migrate, create a tenant, start, serve, stop cleanly', async (t) => {
  const db = await testDatabase(t, { migrated: false })
  const env = { DATABASE_URL: db.url }
  const migrated = await runNode('dist/cli/migrate.js', [], env)
  t.equal(migrated.code, 0, migrated.stderr)
  t.ok(JSON.parse(migrated.stdout).to >= 1)
  const again = await runNode('dist/cli/migrate.js', [], env)
  t.same(JSON.parse(again.stdout).applied, [], 'migrating twice is a no-op')

  const created = await runNode('dist/cli/tenants.js', ['create', 'acme'], env)
  t.equal(created.code, 0, created.stderr)
  const { apiKey, tenantId } = JSON.parse(created.stdout)
  t.match(apiKey, /^rpk_/)
  const duplicate = await runNode('dist/cli/tenants.js', ['create', 'acme'], env)
  t.equal(duplicate.code, 1)
  t.match(duplicate.stderr, /already exists/)
  const listed = await runNode('dist/cli/tenants.js', ['list'], env)
  t.match(JSON.parse(listed.stdout), [{ tenantId, name: 'acme', activeKeys: 1 }])

  const bootstrapKey = 'operator-seeded-key-0123456789abcdef'
  const server = startServer(await freePort(), { ...env, BOOTSTRAP_API_KEY: bootstrapKey })
  t.teardown(async () => { await server.stop('SIGKILL') })
  t.ok(await waitFor(server, '/health/ready'), server.output())
  const me = await fetch(`${server.baseUrl}/v1/me`, { headers: { authorization: `Bearer ${apiKey}` } })
  t.equal(me.status, 200)
  t.equal(((await me.json()) as { name: string }).name, 'acme')
  const seeded = await fetch(`${server.baseUrl}/v1/me`, { headers: { authorization: `Bearer ${bootstrapKey}` } })
  t.equal(((await seeded.json()) as { name: string }).name, 'default', 'BOOTSTRAP_API_KEY seeds the default tenant')
  const anonymous = await fetch(`${server.baseUrl}/v1/me`)
  t.equal(anonymous.status, 401)
  t.match(anonymous.headers.get('content-type'), /application\/problem\+json/)
  t.notMatch(server.output(), new RegExp(apiKey.slice(12)), 'the key never reaches the logs')

  const revoked = await runNode('dist/cli/tenants.js', ['revoke-key', 'acme', '--all'], env)
  t.same(JSON.parse(revoked.stdout), { revoked: 1 })
  t.ok(await eventually(async () => (await fetch(`${server.baseUrl}/v1/me`, { headers: { authorization: `Bearer ${apiKey}` } })).status === 401), 'the revoked key is refused')
  t.equal(await server.stop(), 0, 'SIGTERM exits 0')
})

t.test('a database behind the code fails fast and says to migrate', async (t) => {
  const db = await testDatabase(t, { migrated: false })
  const result = await runNode('dist/server.js', [], { DATABASE_URL: db.url, PORT: String(await freePort()) })
  t.equal(result.code, 1)
  t.match(result.stderr, /^repayment-plans: the database schema is at version 0 but this build needs \d+: run `npm run migrate` first\n$/)
})

t.test('bad configuration fails fast with one clear line', async (t) => {
  const badPort = await runNode('dist/server.js', [], { PORT: 'abc' })
  t.equal(badPort.code, 1)
  t.match(badPort.stderr, /^repayment-plans: invalid configuration: .*PORT.*\n$/)
  const unreachable = await runNode('dist/server.js', [], { DATABASE_URL: `postgres://nobody@127.0.0.1:${await freePort()}/none`, PORT: String(await freePort()) })
  t.equal(unreachable.code, 1)
  t.match(unreachable.stderr, /^repayment-plans: cannot reach the database at 127\.0\.0\.1:\d+\/none: .+\n$/)
})

t.test('without DATABASE_URL it runs on an embedded PostgreSQL, prints a key, and reuses its data', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'rp-embedded-'))
  t.teardown(async () => { await rm(dataDir, { recursive: true, force: true }) })
  const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) }
  const first = startServer(await freePort(), env)
  t.teardown(async () => { await first.stop('SIGKILL') })
  t.ok(await waitFor(first, '/health/ready', 200, 90000), first.output())
  // The key is in the key file; the log names the file and shows only the key's public prefix.
  const key = (await readFile(path.join(dataDir, 'demo-api-key'), 'utf8')).trim()
  t.match(key, /^rpk_/, 'a demo key is written to DATA_DIR/demo-api-key')
  t.match(first.output(), `demo tenant API key (embedded database only): ${key.slice(0, 12)}… in ${path.join(dataDir, 'demo-api-key')}`)
  t.notMatch(first.output(), key.slice(12), 'the secret part of the key is never logged')
  t.equal((await fetch(`${first.baseUrl}/docs/`)).status, 200)
  t.equal((await fetch(`${first.baseUrl}/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status, 200)
  t.equal(await first.stop(), 0)

  const second = startServer(await freePort(), env)
  t.teardown(async () => { await second.stop('SIGKILL') })
  t.ok(await waitFor(second, '/health/ready', 200, 90000), second.output())
  t.match(second.output(), key.slice(0, 12), 'the same demo key on the same data')
  t.notMatch(second.output(), key.slice(12), 'the secret part of the key is never logged')
  t.equal((await fetch(`${second.baseUrl}/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status, 200)
  t.equal(await second.stop(), 0)
})
