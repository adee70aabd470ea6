import t from 'tap'
import { paymentPlan, penaltyClause, sentence } from '../../src/domain/option-text.js'
import { recommend } from '../../src/domain/recommendation.js'
import { affordabilityFor } from '../../src/domain/affordability.js'
import { rational } from '../../src/domain/decimal.js'
import type { ScheduleRow } from '../../src/domain/schedule.js'

const cny = { currency: 'CNY', digits: 2 }

function rows (payments: bigint[]): ScheduleRow[] {
  return payments.map((payment, i) => ({ number: i + 1, dueDate: `2027-0${i + 1}-15`, payment, principal: payment, interest: 0n, balance: 0n }))
}

t.test('describes uneven payments as a range', async t => {
  t.equal(paymentPlan(cny, rows([100n, 300n, 100n, 250n])), 'pay between 1.00 CNY and 3.00 CNY a month for 4 months from 2027-01-15')
})

t.test('has nothing to describe for an empty schedule', async t => {
  t.equal(paymentPlan(cny, []), 'no payments are due')
})

t.test('leaves out the penalty when there is none and capitalises sentences', async t => {
  t.equal(penaltyClause(cny, 0n, 0n, rational(1n, 2n)), '')
  t.equal(sentence(['pay 1.00 CNY', '', 'done']), 'Pay 1.00 CNY; done.')
})

t.test('asks for review without a closest option when no plan exists', async t => {
  const r = recommend([], affordabilityFor(100000n, 0n, rational(1n, 2n), 'HALF_UP'), cny)
  t.same(r, {
    recommendedOptionId: null,
    closestOptionId: null,
    needsReview: true,
    reviewReason: 'No installment or payment-holiday plan is available, so none can fit the borrower\'s budget of 500.00 CNY a month.'
  })
})
