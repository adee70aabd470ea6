// Semantic checks on a policy whose JSON shape is already valid. Each
// problem carries a JSON-pointer path so an admin UI can highlight it.
import { compare, ONE, parseDecimal } from './decimal.js'
import { currencyDigits } from './currency.js'
import { parseMoney } from './money.js'
import { AMORTIZATION_METHODS, DAY_COUNTS, ROUNDING_MODES } from './policy.js'
import type { Policy } from './policy.js'
import { servicingRulesProblems } from './servicing/rules-problems.js'

export interface PolicyProblem {
  readonly path: string
  readonly message: string
}

const MAX_TERM_LIMIT = 120
const MAX_DAYS = 3650

function isIntIn (v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
}

export function policyProblems (policy: Policy): PolicyProblem[] {
  const problems: PolicyProblem[] = []
  const report = (path: string, message: string): void => { problems.push({ path, message }) }

  const decimal = (path: string, value: string, upToOne: boolean): void => {
    const r = typeof value === 'string' ? parseDecimal(value) : null
    if (r === null) report(path, 'must be a plain decimal string such as "0.5"')
    else if (upToOne && compare(r, ONE) > 0) report(path, 'must be between 0 and 1')
  }
  const int = (path: string, value: number, min: number, max: number): void => {
    if (!isIntIn(value, min, max)) report(path, `must be a whole number from ${min} to ${max}`)
  }

  const digits = currencyDigits(policy.currency)
  if (digits === undefined) report('/currency', `unknown ISO 4217 currency code "${policy.currency}"`)
  decimal('/annualInterestRate', policy.annualInterestRate, true)
  if (!ROUNDING_MODES.includes(policy.roundingMode)) report('/roundingMode', `must be one of ${ROUNDING_MODES.join(', ')}`)
  if (!DAY_COUNTS.includes(policy.dayCount)) report('/dayCount', `must be one of ${DAY_COUNTS.join(', ')}`)

  const bucketNames = new Set<string>()
  if (policy.buckets.length === 0) report('/buckets', 'must define at least one bucket')
  policy.buckets.forEach((b, i) => {
    const path = `/buckets/${i}`
    const last = i === policy.buckets.length - 1
    if (b.name === '') report(`${path}/name`, 'must not be empty')
    else if (bucketNames.has(b.name)) report(`${path}/name`, `duplicates bucket name "${b.name}"`)
    bucketNames.add(b.name)
    const expectedMin = i === 0 ? 0 : (policy.buckets[i - 1]?.maxDays ?? NaN) + 1
    if (b.minDays !== expectedMin) {
      report(`${path}/minDays`, i === 0 ? 'the first bucket must start at 0 days' : 'must start the day after the previous bucket ends')
    }
    if (last) {
      if (b.maxDays !== null) report(`${path}/maxDays`, 'the last bucket must be open-ended (null)')
    } else if (b.maxDays === null) {
      report(`${path}/maxDays`, 'only the last bucket may be open-ended')
    } else if (!isIntIn(b.maxDays, b.minDays, MAX_DAYS)) {
      report(`${path}/maxDays`, 'must be a whole number not below minDays')
    }
  })

  const p = policy.penalty
  int('/penalty/graceDays', p.graceDays, 0, MAX_DAYS)
  decimal('/penalty/penaltyMarkup', p.penaltyMarkup, false)
  decimal('/penalty/lateFeeRate', p.lateFeeRate, false)
  if (p.annualCostCap !== null) decimal('/penalty/annualCostCap', p.annualCostCap, true)
  if (digits !== undefined) {
    const fee = parseMoney(p.lateFeeFixed, digits)
    if (typeof fee !== 'bigint') report('/penalty/lateFeeFixed', `${fee.message} (${policy.currency})`)
  }

  const inst = policy.installment
  const maxTermValid = isIntIn(inst.maxTermMonths, 1, MAX_TERM_LIMIT)
  int('/installment/maxTermMonths', inst.maxTermMonths, 1, MAX_TERM_LIMIT)
  const termLimit = maxTermValid ? inst.maxTermMonths : MAX_TERM_LIMIT
  if (inst.termsMonths.length === 0) report('/installment/termsMonths', 'must offer at least one term')
  inst.termsMonths.forEach((t, i) => {
    if (!isIntIn(t, 1, termLimit)) report(`/installment/termsMonths/${i}`, `must be a whole number of months from 1 to maxTermMonths (${termLimit})`)
    else if (inst.termsMonths.indexOf(t) !== i) report(`/installment/termsMonths/${i}`, `duplicates term ${t}`)
  })
  if (inst.methods.length === 0) report('/installment/methods', 'must offer at least one method')
  inst.methods.forEach((m, i) => {
    if (!AMORTIZATION_METHODS.includes(m)) report(`/installment/methods/${i}`, `must be one of ${AMORTIZATION_METHODS.join(', ')}`)
    else if (inst.methods.indexOf(m) !== i) report(`/installment/methods/${i}`, `duplicates method ${m}`)
  })
  decimal('/installment/penaltyWaiver', inst.penaltyWaiver, true)

  const def = policy.deferral
  def.holidayMonths.forEach((h, i) => {
    if (!isIntIn(h, 1, 24)) report(`/deferral/holidayMonths/${i}`, 'must be a whole number of months from 1 to 24')
    else if (def.holidayMonths.indexOf(h) !== i) report(`/deferral/holidayMonths/${i}`, `duplicates holiday ${h}`)
  })
  int('/deferral/maxOverdueDays', def.maxOverdueDays, 0, MAX_DAYS)
  decimal('/deferral/penaltyWaiver', def.penaltyWaiver, true)
  int('/deferral/repaymentMonths', def.repaymentMonths, 1, termLimit)

  const set = policy.settlement
  int('/settlement/windowDays', set.windowDays, 1, 365)
  decimal('/settlement/penaltyWaiver', set.penaltyWaiver, true)
  for (const [bucket, discount] of Object.entries(set.discountByBucket)) {
    const path = `/settlement/discountByBucket/${bucket.replace(/~/g, '~0').replace(/\//g, '~1')}`
    if (!bucketNames.has(bucket)) report(path, `names no delinquency bucket ("${bucket}")`)
    decimal(path, discount, true)
  }

  decimal('/affordability/maxShareOfDisposableIncome', policy.affordability.maxShareOfDisposableIncome, true)
  int('/quoteValidityDays', policy.quoteValidityDays, 1, 90)

  // Every quote under the policy carries every option's schedule: bound that work per request so
  // one tenant's policy cannot monopolise a replica (the standard policy has 128 rows).
  const rows = scheduleRowsPerQuote(policy)
  if (rows > MAX_SCHEDULE_ROWS_PER_QUOTE) {
    report('/installment/termsMonths', `the options would carry ${rows} schedule rows per quote; at most ${MAX_SCHEDULE_ROWS_PER_QUOTE}`)
  }
  if (policy.servicing !== undefined) {
    problems.push(...servicingRulesProblems(policy.servicing, digits ?? 2))
    if (!isTimeZone(policy.servicing.timeZone)) report('/servicing/timeZone', 'must be an IANA time zone such as "Asia/Shanghai"')
  }
  return problems
}

export const MAX_SCHEDULE_ROWS_PER_QUOTE = 600

/** Schedule rows in one quote under the policy: installments × methods, deferrals, the settlement. */
export function scheduleRowsPerQuote (policy: Policy): number {
  const installments = policy.installment.termsMonths.reduce((sum, n) => sum + n, 0) * policy.installment.methods.length
  const deferrals = policy.deferral.holidayMonths.reduce((sum, h) => sum + h + policy.deferral.repaymentMonths, 0)
  return installments + deferrals + 1
}

function isTimeZone (zone: unknown): boolean {
  if (typeof zone !== 'string' || zone === '') return false
  try {
    // Intl refuses an unknown zone with a RangeError.
    new Intl.DateTimeFormat('en', { timeZone: zone }).format(0)
    return true
  } catch {
    return false
  }
}
