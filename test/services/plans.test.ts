import t from 'tap'
import { ActivePlanExists, DomainError, IdempotencyKeyReused, NotFound, UnknownOption } from '../../src/domain/errors.js'
import { Acceptances } from '../../src/db/acceptances.js'
import { closePool, createPool, poolSettings } from '../../src/db/pool.js'
import { QuoteWriter } from '../../src/db/quote-writer.js'
import { createTenant } from '../../src/db/tenants-repository.js'
import { loadConfig } from '../../src/config.js'
import { PlanService } from '../../src/services/plans.js'
import { PolicyService } from '../../src/services/policies.js'
import { QuoteService } from '../../src/services/quotes.js'
import { ServicingService } from '../../src/services/servicing.js'
import { systemClock } from '../../src/services/clock.js'
import { testDatabase } from '../helpers/database.js'

// As a queue consumer or a CLI would use them: services on a pool, no Fastify instance anywhere.
t.test('plans are accepted, replayed and refused through the services alone, in domain terms', async (t) => {
  const database = await testDatabase(t)
  const pool = createPool(poolSettings(loadConfig({ DATABASE_URL: database.url }), database.url))
  t.teardown(async () => { await closePool(pool) })
  const { tenantId } = await createTenant(pool, 'consumer')
  const policies = new PolicyService(pool)
  const quotes = new QuoteService(pool, new QuoteWriter(pool), policies)
  const plans = new PlanService(pool, new Acceptances(pool, 48), new ServicingService(pool, systemClock))

  const quote = await quotes.create(tenantId, { loan: { loanId: 'Q-1', balance: '12000.00', overdueDays: 20 }, borrower: { monthlyIncome: '8000.00' } })
  const document = JSON.parse(quote.body.toString('utf8')) as { recommendedOptionId: string, options: Array<{ id: string, schedule: unknown[] }> }
  const request = { quoteId: quote.id, optionId: document.recommendedOptionId }

  const accepted = await plans.accept(tenantId, 'key-1', request)
  t.equal(accepted.replayed, false)
  const plan = await plans.get(tenantId, accepted.planId)
  t.has(plan.schedule, document.options.find((o) => o.id === request.optionId)!.schedule, "the plan's schedule is the quoted option's")
  const { asOf, paidTotal, outstanding, arrears, daysPastDue, missedInstallments, nextDue, completedAt, brokenAt, reinstatedPenalty, lateFees, ...agreed } = plan
  t.same(JSON.parse(accepted.body), { ...agreed, schedule: JSON.parse(accepted.body).schedule }, 'the first answer is the plan as stored')
  t.equal(outstanding, JSON.parse(accepted.body).totalRepayable, 'nothing paid yet: everything is outstanding')

  const again = await plans.accept(tenantId, 'key-1', request)
  t.same(again, { ...accepted, replayed: true }, 'the same key and request replay the first answer')
  await t.rejects(plans.accept(tenantId, 'key-1', { ...request, note: 'changed' }), IdempotencyKeyReused)
  await t.rejects(plans.accept(tenantId, 'key-2', { ...request, optionId: 'no-such-option' }), UnknownOption)
  const conflict = await plans.accept(tenantId, 'key-3', request).catch((err: unknown) => err)
  t.ok(conflict instanceof DomainError && conflict.code === 'active-plan-exists' && !conflict.replayed, 'a second plan for the loan is refused')
  t.same((conflict as DomainError).extensions, new ActivePlanExists('Q-1', accepted.planId).extensions, 'naming the active plan')
  const replayedConflict = await plans.accept(tenantId, 'key-3', request).catch((err: unknown) => err)
  t.ok(replayedConflict instanceof DomainError && replayedConflict.replayed && replayedConflict.message === (conflict as DomainError).message, 'a refusal replays as the same domain error')
  await t.rejects(plans.get(tenantId, '00000000-0000-4000-8000-000000000000'), NotFound)
})
