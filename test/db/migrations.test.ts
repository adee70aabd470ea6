import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import pg from 'pg'
import t from 'tap'
import { computeQuoteDocument, isQuoteInputError, standardPolicy } from '../../src/domain/index.js'
import { functionFiles, functionSource, migrate } from '../../src/db/migrate.js'
import { createTenant } from '../../src/db/tenants-repository.js'
import { requestHash } from '../../src/services/plans.js'
import { buildTestApp } from '../helpers/app.js'
import { testDatabase } from '../helpers/database.js'

/** The text between a function file's $$ quotes: what PostgreSQL stores as the function's body. */
function bodyOf (file: string): string {
  const [, body] = /AS \$\$([\s\S]*)\$\$;\s*$/.exec(file) ?? []
  if (body === undefined) throw new Error('no $$ body')
  return body
}

t.test("every stored function's body in the database is its file's, and migrating again changes nothing", async (t) => {
  const database = await testDatabase(t)
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  t.teardown(async () => { await client.end() })
  const files = await functionFiles()
  t.ok(files.length >= 2, 'accept_plans and acceptance_items at least')
  for (const file of files) {
    const name = file.replace(/^.*\/|\.sql$/g, '')
    t.equal(await functionSource(client, name), bodyOf(await readFile(file, 'utf8')), `${name} is defined by ${name}.sql alone`)
  }
  t.same((await migrate(database.url)).applied, [], 'a second run applies nothing')
  await client.query('CREATE OR REPLACE FUNCTION acceptance_items (p_batch jsonb) RETURNS TABLE (ord integer) LANGUAGE sql AS $$ SELECT 1 $$')
    .catch(() => client.query('DROP FUNCTION acceptance_items (jsonb)'))
  t.same((await migrate(database.url)).applied, ['functions/acceptance_items.sql'], 'a drifted function is put back by the next migrate')
})

t.test('a database with quotes, plans and stored answers from before migration 011 reads back unchanged', async (t) => {
  const database = await testDatabase(t, { migrated: false })
  await migrate(database.url, '010')
  const pool = new pg.Pool({ connectionString: database.url })
  t.teardown(async () => { await pool.end() })
  const { tenantId, apiKey } = await createTenant(pool, 'legacy')

  // A quote as the previous head stored it: the document as text, no options column.
  const quoteId = randomUUID()
  const now = new Date()
  const header = { id: quoteId, policy: { name: 'standard', version: 1 }, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + 7 * 86_400_000).toISOString() }
  const asOf = now.toISOString().slice(0, 10)
  const doc = computeQuoteDocument({ asOf, loan: { loanId: 'LEGACY-1', balance: '50000.00', overdueDays: 45 }, borrower: { monthlyIncome: '9000.00' } }, standardPolicy, header)
  if (isQuoteInputError(doc)) throw new Error('bad request')
  const body = Buffer.from(doc.json).toString('utf8')
  await pool.query(`INSERT INTO quotes (tenant_id, quote_id, loan_id, policy_name, policy_version, currency, created_at, expires_at, body)
    VALUES ($1, $2, 'LEGACY-1', 'standard', 1, 'CNY', $3, $4, $5)`, [tenantId, quoteId, header.createdAt, header.expiresAt, body])
  const option = (JSON.parse(body) as { options: Array<{ id: string }> }).options[0]!

  // A plan and its 201 answer, and a 409 refusal, as accept_plan stored them.
  const planId = randomUUID()
  await pool.query(`INSERT INTO plans (tenant_id, plan_id, loan_id, quote_id, option_id, option_type, term_months, method, holiday_months,
      currency, amount_financed, total_repayable, total_interest, penalty_waived, discount, capitalized_interest, max_payment, apr, policy_name, policy_version)
    VALUES ($1, $2, 'LEGACY-1', $3, $4, 'installment', 3, 'annuity', NULL, 'CNY', 100, 101, 1, 0, 0, 0, 34, '0.1', 'standard', 1)`, [tenantId, planId, quoteId, option.id])
  await pool.query(`INSERT INTO plan_installments (tenant_id, plan_id, number, due_date, payment, principal, interest, balance)
    VALUES ($1, $2, 1, '2030-01-15', 34.00, 33.00, 1.00, 67.00), ($1, $2, 2, '2030-02-15', 34.00, 34.00, 0.00, 33.00), ($1, $2, 3, '2030-03-15', 33.00, 33.00, 0.00, 0.00)`, [tenantId, planId])
  const createdKey = 'legacy-created'
  const createdRequest = { quoteId, optionId: option.id }
  const createdBody = JSON.stringify({ id: planId, legacy: true })
  const refusedKey = 'legacy-refused'
  const refusedRequest = { quoteId, optionId: option.id, note: 'second try' }
  const refusedBody = JSON.stringify({ type: '/problems/active-plan-exists', title: 'Conflict', status: 409, detail: `loan LEGACY-1 already has an active plan (${planId}); cancel it first to accept another option`, instance: '/v1/plans', existingPlanId: planId })
  await pool.query(`INSERT INTO idempotency_keys (tenant_id, key, request_hash, status_code, response_body, location)
    VALUES ($1, $2, $3, 201, $4, $5), ($1, $6, $7, 409, $8, NULL)`,
  [tenantId, createdKey, requestHash(createdRequest), createdBody, `/v1/plans/${planId}`, refusedKey, requestHash(refusedRequest), refusedBody])

  t.ok((await migrate(database.url)).applied.includes('011.do.structured-options-and-outcomes.sql'), 'migration 011 converts the data in place')
  const { rows: [converted] } = await pool.query('SELECT options::jsonb = body::jsonb -> \'options\' AS same FROM quotes WHERE quote_id = $1', [quoteId])
  t.ok(converted.same, 'the options column holds the document\'s options')

  const { app } = await buildTestApp(t, { database })
  const headers = { authorization: `Bearer ${apiKey}` }
  const quote = await app.inject({ method: 'GET', url: `/v1/quotes/${quoteId}`, headers })
  t.equal(quote.body, body, 'the quote document reads back byte for byte')
  const plan = await app.inject({ method: 'GET', url: `/v1/plans/${planId}`, headers })
  t.same(plan.json().schedule.map((r: { payment: string }) => r.payment), ['34.00', '34.00', '33.00'], 'the plan reads back')

  const replayCreated = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': createdKey }, payload: createdRequest })
  t.same([replayCreated.statusCode, replayCreated.headers.location, replayCreated.headers['idempotent-replayed'], replayCreated.body], [201, `/v1/plans/${planId}`, 'true', createdBody], 'a stored 201 replays as it was')
  const replayRefused = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': refusedKey }, payload: refusedRequest })
  t.same([replayRefused.statusCode, replayRefused.headers['idempotent-replayed'], replayRefused.body], [409, 'true', refusedBody], 'a stored refusal replays byte for byte')

  // The converted quote is accepted through the new path: its option is selected in SQL.
  await app.inject({ method: 'POST', url: `/v1/plans/${planId}/cancel`, headers, payload: { reason: 'test' } })
  const accepted = await app.inject({ method: 'POST', url: '/v1/plans', headers: { ...headers, 'idempotency-key': 'after-011' }, payload: createdRequest })
  t.equal(accepted.statusCode, 201, accepted.body)
  t.same(accepted.json().schedule, (JSON.parse(body) as { options: Array<{ schedule: unknown }> }).options[0]!.schedule, 'the new plan carries the stored option\'s schedule')
})
