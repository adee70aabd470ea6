// Semantic checks on the servicing rules, in the shape of policyProblems:
// each problem carries a JSON pointer into the policy's `servicing` block.
import { parseMoney } from '../money.js'
import type { FieldProblem as PolicyProblem } from '../errors.js'
import { ALLOCATION_PARTS } from './rules.js'
import type { ServicingRules } from './rules.js'

const MAX_DAYS = 3650
const MAX_MISSES = 120

function isIntIn (v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
}

// digits: the policy currency's minor-unit digits, so the fee cannot carry
// more decimals than the money it will be charged in.
export function servicingRulesProblems (rules: ServicingRules, digits: number): PolicyProblem[] {
  const problems: PolicyProblem[] = []
  const report = (field: string, message: string): void => { problems.push({ path: `/servicing/${field}`, message }) }
  const int = (field: 'graceDays' | 'allowedMissedInstallments' | 'breakAfterDaysPastDue', max: number): void => {
    if (!isIntIn(rules[field], 0, max)) report(field, `must be a whole number from 0 to ${max}`)
  }
  int('graceDays', MAX_DAYS)
  int('allowedMissedInstallments', MAX_MISSES)
  int('breakAfterDaysPastDue', MAX_DAYS)
  if (isIntIn(rules.graceDays, 0, MAX_DAYS) && isIntIn(rules.breakAfterDaysPastDue, 0, MAX_DAYS) &&
    rules.breakAfterDaysPastDue < rules.graceDays) {
    // Otherwise a plan would break on an installment that was never missed.
    report('breakAfterDaysPastDue', 'must not be below graceDays')
  }
  const fee = typeof rules.lateInstallmentFee === 'string' ? parseMoney(rules.lateInstallmentFee, digits) : null
  if (fee === null) report('lateInstallmentFee', 'must be a decimal string such as "25.00"')
  else if (typeof fee !== 'bigint') report('lateInstallmentFee', fee.message)
  if (typeof rules.reinstateWaivedPenalty !== 'boolean') report('reinstateWaivedPenalty', 'must be true or false')
  const order = rules.allocationOrder
  const isPermutation = Array.isArray(order) && order.length === ALLOCATION_PARTS.length &&
    ALLOCATION_PARTS.every(part => order.includes(part))
  if (!isPermutation) report('allocationOrder', `must list each of ${ALLOCATION_PARTS.join(', ')} exactly once`)
  return problems
}
