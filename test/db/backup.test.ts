import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { testDatabase } from '../helpers/database.js'
import { runNode } from '../helpers/process.js'
import { createQuote } from '../helpers/quotes.js'

/** Row counts of every table in the public schema (so tables added later are included). */
async function tableCounts (url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1")
    const counts: Record<string, number> = {}
    for (const { table_name: name } of rows) counts[name] = (await client.query(`SELECT count(*)::int AS n FROM "${name}"`)).rows[0].n
    return counts
  } finally { await client.end() }
}

// The embedded test server is npm's PostgreSQL 17, which ships no pg_dump (and an older pg_dump
// cannot dump a newer server): this runs against TEST_DATABASE_URL, as CI's first and third runs do.
const noDumpClient = process.env.TEST_DATABASE_URL === undefined || process.env.TEST_DATABASE_URL === ''
  ? 'the embedded PostgreSQL 17 from npm has no pg_dump; run with TEST_DATABASE_URL'
  : false

t.test('backup, restore into a fresh database, serve from it: every plan byte for byte, idempotency keys replay', { skip: noDumpClient }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'rp-backup-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  const source = await testDatabase(t)
  const { app, tenant } = await buildTestApp(t, { database: source })
  const accepted: Array<{ headers: Record<string, string>, key: string, body: object, planId: string, answer: string }> = []
  for (const name of ['a', 'b']) {
    const { headers } = await tenant()
    for (let i = 0; i < 3; i++) {
      const quote = await createQuote(app, headers, `LN-BK-${name}-${i}`)
      const body = { quoteId: quote.id, optionId: i === 0 ? 'settlement' : quote.recommendedOptionId, note: `plan ${i}` }
      const res = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': `bk-${i}` }, payload: body })
      t.equal(res.statusCode, 201)
      accepted.push({ headers, key: `bk-${i}`, body, planId: res.json().id, answer: res.body })
    }
    await createQuote(app, headers, `LN-BK-${name}-open`)
  }
  const cancelled = accepted[1]!
  await app.inject({ method: 'POST', url: `/v1/plans/${cancelled.planId}/cancel`, headers: cancelled.headers, payload: { reason: 'before backup' } })
  const reads = new Map<string, string>()
  for (const a of accepted) reads.set(a.planId, (await app.inject({ url: `/v1/plans/${a.planId}`, headers: a.headers })).body)

  const file = path.join(dir, 'plans.dump')
  const backup = await runNode('dist/cli/backup.js', ['backup', file], { DATABASE_URL: source.url })
  t.equal(backup.code, 0, backup.stderr)
  t.match(JSON.parse(backup.stdout), { backup: file })

  const target = await testDatabase(t, { migrated: false })
  const restore = await runNode('dist/cli/backup.js', ['restore', file], { DATABASE_URL: target.url })
  t.equal(restore.code, 0, restore.stderr)
  t.same(await tableCounts(target.url), await tableCounts(source.url), 'every table restored with all its rows')

  const restored = await buildTestApp(t, { database: target })
  for (const a of accepted) {
    const res = await restored.app.inject({ url: `/v1/plans/${a.planId}`, headers: a.headers })
    t.equal(res.statusCode, 200)
    t.equal(res.body, reads.get(a.planId), `plan ${a.planId} byte for byte`)
    const replay = await restored.app.inject({ method: 'POST', url: '/v1/plans', headers: { ...a.headers, 'idempotency-key': a.key }, payload: a.body })
    t.equal(replay.headers['idempotent-replayed'], 'true', `key ${a.key} replays after restore`)
    t.equal(replay.body, a.answer)
  }
})

t.test('restore refuses a missing file, with one line', async (t) => {
  const db = await testDatabase(t, { migrated: false })
  const res = await runNode('dist/cli/backup.js', ['restore', '/nonexistent.dump'], { DATABASE_URL: db.url })
  t.equal(res.code, 1)
  t.match(res.stderr, /^backup: no such file: \/nonexistent\.dump\n$/)
})
