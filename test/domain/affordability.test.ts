import t from 'tap'
import { affordabilityFor, paymentToIncome } from '../../src/domain/affordability.js'
import { rational } from '../../src/domain/decimal.js'

t.test('allows a share of the income left after obligations', async t => {
  const a = affordabilityFor(800000n, 300000n, rational(1n, 2n), 'HALF_UP')
  t.equal(a.disposableIncome, 500000n)
  t.equal(a.maxAffordablePayment, 250000n)
})

t.test('never lets disposable income go negative', async t => {
  const a = affordabilityFor(100000n, 300000n, rational(1n, 2n), 'HALF_UP')
  t.equal(a.disposableIncome, 0n)
  t.equal(a.maxAffordablePayment, 0n)
})

t.test('rounds the affordable payment with the policy mode', async t => {
  t.equal(affordabilityFor(1n, 0n, rational(1n, 2n), 'HALF_UP').maxAffordablePayment, 1n)
  t.equal(affordabilityFor(1n, 0n, rational(1n, 2n), 'HALF_EVEN').maxAffordablePayment, 0n)
})

t.test('reports payment to income to 4 decimals, or null without income', async t => {
  t.equal(paymentToIncome(100n, 300n, 'HALF_UP'), '0.3333')
  t.equal(paymentToIncome(450n, 300n, 'HALF_UP'), '1.5000')
  t.equal(paymentToIncome(100n, 0n, 'HALF_UP'), null)
})
