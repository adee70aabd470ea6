// The tenant policy: every lever of the repayment offer. Rates, shares and
// amounts are decimal strings so that JSON round-trips never lose precision.
import type { RoundingMode } from './decimal.js'
import { defaultServicingRules, type ServicingRules } from './servicing/rules.js'

export type { RoundingMode } from './decimal.js'
export type DayCount = '30/360' | 'ACT/365'
export type AmortizationMethod = 'annuity' | 'equal_principal'

export const ROUNDING_MODES: readonly RoundingMode[] = ['HALF_UP', 'HALF_EVEN']
export const DAY_COUNTS: readonly DayCount[] = ['30/360', 'ACT/365']
export const AMORTIZATION_METHODS: readonly AmortizationMethod[] = ['annuity', 'equal_principal']

export interface DelinquencyBucketRule {
  readonly name: string
  readonly minDays: number
  readonly maxDays: number | null
}

export interface PenaltyPolicy {
  readonly graceDays: number
  readonly penaltyMarkup: string
  readonly lateFeeFixed: string
  readonly lateFeeRate: string
  readonly annualCostCap: string | null
}

export interface InstallmentPolicy {
  readonly termsMonths: readonly number[]
  readonly methods: readonly AmortizationMethod[]
  readonly maxTermMonths: number
  readonly penaltyWaiver: string
}

export interface DeferralPolicy {
  readonly holidayMonths: readonly number[]
  readonly maxOverdueDays: number
  readonly penaltyWaiver: string
  readonly repaymentMonths: number
  readonly waiveHolidayInterest: boolean
}

export interface SettlementPolicy {
  readonly windowDays: number
  readonly penaltyWaiver: string
  readonly discountByBucket: Readonly<Record<string, string>>
}

export interface AffordabilityPolicy {
  readonly maxShareOfDisposableIncome: string
}

/** How accepted plans are serviced, and the time zone whose calendar says what "today" is. */
export interface ServicingPolicy extends ServicingRules {
  readonly timeZone: string
}

export const defaultServicingPolicy: ServicingPolicy = Object.freeze({ ...defaultServicingRules, timeZone: 'Asia/Shanghai' })

export interface Policy {
  readonly currency: string
  readonly annualInterestRate: string
  readonly roundingMode: RoundingMode
  readonly dayCount: DayCount
  readonly buckets: readonly DelinquencyBucketRule[]
  readonly penalty: PenaltyPolicy
  readonly installment: InstallmentPolicy
  readonly deferral: DeferralPolicy
  readonly settlement: SettlementPolicy
  readonly affordability: AffordabilityPolicy
  readonly quoteValidityDays: number
  /** Absent in policies stored before servicing existed: defaultServicingPolicy applies. */
  readonly servicing?: ServicingPolicy
}

export const standardPolicy: Policy = Object.freeze({
  currency: 'CNY',
  annualInterestRate: '0.12',
  roundingMode: 'HALF_UP',
  dayCount: '30/360',
  buckets: [
    { name: 'M0', minDays: 0, maxDays: 0 },
    { name: 'M1', minDays: 1, maxDays: 30 },
    { name: 'M2', minDays: 31, maxDays: 60 },
    { name: 'M3', minDays: 61, maxDays: 90 },
    { name: 'M4+', minDays: 91, maxDays: null }
  ],
  penalty: { graceDays: 3, penaltyMarkup: '0.5', lateFeeFixed: '0', lateFeeRate: '0', annualCostCap: '0.24' },
  installment: { termsMonths: [3, 6, 12, 24, 36], methods: ['annuity'], maxTermMonths: 60, penaltyWaiver: '0.5' },
  deferral: { holidayMonths: [1, 3, 6], maxOverdueDays: 90, penaltyWaiver: '0', repaymentMonths: 12, waiveHolidayInterest: false },
  settlement: { windowDays: 14, penaltyWaiver: '1', discountByBucket: { 'M4+': '0.1' } },
  affordability: { maxShareOfDisposableIncome: '0.5' },
  quoteValidityDays: 7,
  servicing: defaultServicingPolicy
} satisfies Policy)
