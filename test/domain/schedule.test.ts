import t from 'tap'
import { annuitySchedule as annuityOrRefusal, equalPrincipalSchedule as equalPrincipalOrRefusal, isUnpayable } from '../../src/domain/schedule.js'
import type { Schedule, ScheduleInput } from '../../src/domain/schedule.js'
import { parseDecimal, roundRational } from '../../src/domain/decimal.js'
import type { Rational } from '../../src/domain/decimal.js'
import { formatMoney } from '../../src/domain/money.js'

function rate (s: string): Rational {
  const r = parseDecimal(s)
  if (r === null) throw new Error(`bad rate ${s}`)
  return r
}

// These examples all have a level schedule; a refusal would fail the test.
function annuitySchedule (i: ScheduleInput): Schedule {
  const s = annuityOrRefusal(i)
  if (isUnpayable(s)) throw new Error(`unpayable: ${s.unpayable}`)
  return s
}

function equalPrincipalSchedule (i: ScheduleInput): Schedule {
  const s = equalPrincipalOrRefusal(i)
  if (isUnpayable(s)) throw new Error(`unpayable: ${s.unpayable}`)
  return s
}

function column (s: Schedule, key: 'payment' | 'principal' | 'interest' | 'balance'): string[] {
  return s.rows.map(r => formatMoney(r[key], 2))
}

const fineract: ScheduleInput = {
  principal: 10000n,
  annualRate: rate('0.094822'),
  termMonths: 6,
  startDate: '2024-01-01',
  dayCount: '30/360',
  roundingMode: 'HALF_UP'
}

t.test('reproduces the Fineract 30/360 EMI example to the cent', async t => {
  const s = annuitySchedule(fineract)
  t.equal(s.installment, 1713n)
  t.same(column(s, 'interest'), ['0.79', '0.66', '0.53', '0.40', '0.27', '0.13'])
  t.same(column(s, 'principal'), ['16.34', '16.47', '16.60', '16.73', '16.86', '17.00'])
  t.same(column(s, 'balance'), ['83.66', '67.19', '50.59', '33.86', '17.00', '0.00'])
  t.same(column(s, 'payment'), ['17.13', '17.13', '17.13', '17.13', '17.13', '17.13'])
  t.same(s.rows.map(r => r.dueDate), ['2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01', '2024-06-01', '2024-07-01'])
  t.same(s.rows.map(r => r.number), [1, 2, 3, 4, 5, 6])
})

t.test('gives the same Fineract 30/360 result under HALF_EVEN', async t => {
  const s = annuitySchedule({ ...fineract, roundingMode: 'HALF_EVEN' })
  t.equal(s.installment, 1713n)
  t.same(column(s, 'balance'), ['83.66', '67.19', '50.59', '33.86', '17.00', '0.00'])
})

t.test('reproduces the Fineract actual-days/365 EMI with its heavier last installment', async t => {
  const s = annuitySchedule({ ...fineract, annualRate: rate('0.15678'), dayCount: 'ACT/365' })
  t.equal(s.installment, 1743n)
  t.same(column(s, 'interest'), ['1.33', '1.05', '0.90', '0.66', '0.46', '0.22'])
  t.same(column(s, 'balance'), ['83.90', '67.52', '50.99', '34.22', '17.25', '0.00'])
  t.same(column(s, 'payment'), ['17.43', '17.43', '17.43', '17.43', '17.43', '17.47'])
})

t.test('the naive monthly rate would have given 17.44 for the actual-days example', async t => {
  const s = annuitySchedule({ ...fineract, annualRate: rate('0.15678') })
  t.equal(s.installment, 1744n)
})

const mortgage: ScheduleInput = {
  principal: 100000000n,
  annualRate: rate('0.049'),
  termMonths: 360,
  startDate: '2024-01-15',
  dayCount: '30/360',
  roundingMode: 'HALF_UP'
}

t.test('matches the 1,000,000 at 4.9 % over 30 years bank benchmark of 5307.27', async t => {
  const s = annuitySchedule(mortgage)
  t.equal(s.installment, 530727n)
  t.equal(s.rows.at(-1)?.balance, 0n)
  t.equal(s.totalPayment, 100000000n + s.totalInterest)
})

t.test('equal principal starts at 6861.11 and falls by about 11.34 a month', async t => {
  const s = equalPrincipalSchedule(mortgage)
  t.equal(s.installment, 277778n)
  t.equal(s.rows[0]?.payment, 686111n)
  const drops = s.rows.slice(1, -1).map((r, i) => (s.rows[i]?.payment ?? 0n) - r.payment)
  t.ok(drops.every(d => d === 1134n || d === 1133n || d === 1135n), 'every drop within a cent of 11.34')
  t.equal(s.rows.at(-1)?.balance, 0n)
})

// The textbook P·r·(n+1)/2 = 737,041.67 assumes an unrounded principal share
// of 2777.777…; paying 2777.78 a month retires the balance slightly faster,
// so the cent-exact schedule charges 0.59 less.
t.test('equal principal total interest is 737,041.08 once the schedule is rounded to cents', async t => {
  const textbook = roundRational(100000000n * 49n * 361n, 1000n * 12n * 2n, 'HALF_UP')
  t.equal(formatMoney(textbook, 2), '737041.67')
  const s = equalPrincipalSchedule(mortgage)
  t.equal(formatMoney(s.totalInterest, 2), '737041.08')
  t.equal(formatMoney(equalPrincipalSchedule({ ...mortgage, roundingMode: 'HALF_EVEN' }).totalInterest, 2), '737041.08')
  t.equal(s.rows.at(-1)?.principal, 277698n, 'the last share takes the 80-cent over-collection back')
})

t.test('refuses a schedule without a positive whole number of months', async t => {
  t.throws(() => annuitySchedule({ ...fineract, termMonths: 0 }), RangeError)
  t.throws(() => equalPrincipalSchedule({ ...fineract, termMonths: 2.5 }), RangeError)
})

t.test('interest-free annuities split the principal evenly with the remainder last', async t => {
  const s = annuitySchedule({ ...fineract, principal: 10000n, annualRate: { n: 0n, d: 1n }, termMonths: 3 })
  t.same(s.rows.map(r => r.payment), [3333n, 3333n, 3334n])
  t.equal(s.totalInterest, 0n)
})

t.test('equal principal under ACT/365 charges interest on the days of each month', async t => {
  const s = equalPrincipalSchedule({ ...fineract, annualRate: rate('0.15678'), dayCount: 'ACT/365' })
  t.same(column(s, 'interest'), ['1.33', '1.04', '0.89', '0.64', '0.44', '0.21'])
  t.same(column(s, 'principal'), ['16.67', '16.67', '16.67', '16.67', '16.67', '16.65'])
})
