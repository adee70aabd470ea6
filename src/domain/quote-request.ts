// Turns the JSON-level quote request (money as strings) into exact internal
// values, collecting every input problem rather than stopping at the first.
import { parseRatio } from './decimal.js'
import type { Rational } from './decimal.js'
import { currencyDigits } from './currency.js'
import { isValidDate } from './dates.js'
import { parseMoney } from './money.js'
import type { CompiledPolicy } from './compiled-policy.js'

export interface QuoteRequest {
  readonly asOf: string
  readonly loan: {
    readonly loanId: string
    readonly balance: string
    readonly overdueDays: number
    readonly currency?: string
    readonly annualInterestRate?: string
    readonly overdueAmount?: string
    readonly accruedInterest?: string
    readonly feesDue?: string
  }
  readonly borrower: {
    readonly monthlyIncome: string
    readonly monthlyObligations?: string
    readonly availableFunds?: string
  }
}

export interface InputProblem {
  readonly path: string
  readonly message: string
}

export interface QuoteInputError {
  readonly errors: InputProblem[]
}

export interface QuoteInput {
  readonly asOf: string
  readonly loanId: string
  readonly currency: string
  readonly digits: number
  readonly balance: bigint
  readonly overdueDays: number
  readonly overdueAmount: bigint
  readonly annualInterestRate: Rational
  readonly accruedInterest: bigint
  readonly feesDue: bigint
  readonly monthlyIncome: bigint
  readonly monthlyObligations: bigint
  readonly availableFunds: bigint | null
}

export const MAX_OVERDUE_DAYS = 3650
// The API's loanId rule: 1 to 64 printable ASCII characters, no spaces.
const LOAN_ID = /^[\x21-\x7e]{1,64}$/
// Keeps every schedule date (up to 144 months out) inside four-digit years.
const EARLIEST_AS_OF = '1900-01-01'
const LATEST_AS_OF = '2999-12-31'

export function isQuoteInputError (v: unknown): v is QuoteInputError {
  return typeof v === 'object' && v !== null && 'errors' in v
}

export function parseQuoteRequest (request: QuoteRequest, policy: CompiledPolicy): QuoteInput | QuoteInputError {
  const errors: InputProblem[] = []
  const { loan, borrower } = request

  if (!isValidDate(request.asOf)) errors.push({ path: '/asOf', message: 'must be a real calendar date written YYYY-MM-DD' })
  else if (request.asOf < EARLIEST_AS_OF || request.asOf > LATEST_AS_OF) {
    errors.push({ path: '/asOf', message: `must be between ${EARLIEST_AS_OF} and ${LATEST_AS_OF}` })
  }

  if (typeof loan.loanId !== 'string' || !LOAN_ID.test(loan.loanId)) {
    errors.push({ path: '/loan/loanId', message: 'must be 1 to 64 printable ASCII characters without spaces' })
  }

  if (!Number.isInteger(loan.overdueDays) || loan.overdueDays < 0 || loan.overdueDays > MAX_OVERDUE_DAYS) {
    errors.push({ path: '/loan/overdueDays', message: `must be a whole number of days from 0 to ${MAX_OVERDUE_DAYS}` })
  }

  // The policy's own rate was validated with the policy.
  const rate = loan.annualInterestRate === undefined ? policy.annualInterestRate : parseRatio(loan.annualInterestRate)
  if (rate === null) {
    errors.push({ path: '/loan/annualInterestRate', message: 'must be a decimal fraction from 0 to 1 (100 % a year) with at most 10 decimals, such as "0.12"' })
  }

  const currency = loan.currency ?? policy.source.currency
  const digits = currencyDigits(currency)
  if (digits === undefined) {
    errors.push({ path: '/loan/currency', message: `unknown ISO 4217 currency code "${currency}"` })
    return { errors }
  }
  if (policy.lateFeeFixed(digits) === null) {
    errors.push({ path: '/loan/currency', message: `the policy's fixed late fee ${policy.source.penalty.lateFeeFixed} cannot be expressed in ${currency}` })
  }

  const money = (path: string, text: string | undefined, fallback: bigint): bigint => {
    if (text === undefined) return fallback
    const v = parseMoney(text, digits)
    if (typeof v === 'bigint') return v
    errors.push({ path, message: `${v.message} (${currency})` })
    return fallback
  }
  const balance = money('/loan/balance', loan.balance, -1n)
  if (balance === 0n) errors.push({ path: '/loan/balance', message: 'must be greater than zero' })
  const accruedInterest = money('/loan/accruedInterest', loan.accruedInterest, 0n)
  const feesDue = money('/loan/feesDue', loan.feesDue, 0n)
  const overdueAmount = money('/loan/overdueAmount', loan.overdueAmount, balance)
  if (balance > 0n && overdueAmount > balance + accruedInterest + feesDue) {
    errors.push({ path: '/loan/overdueAmount', message: 'must not exceed balance + accruedInterest + feesDue' })
  }
  const monthlyIncome = money('/borrower/monthlyIncome', borrower.monthlyIncome, 0n)
  const monthlyObligations = money('/borrower/monthlyObligations', borrower.monthlyObligations, 0n)
  const availableFunds = borrower.availableFunds === undefined
    ? null
    : money('/borrower/availableFunds', borrower.availableFunds, 0n)

  if (errors.length > 0 || rate === null) return { errors }
  return {
    asOf: request.asOf,
    loanId: loan.loanId,
    currency,
    digits,
    balance,
    overdueDays: loan.overdueDays,
    overdueAmount,
    annualInterestRate: rate,
    accruedInterest,
    feesDue,
    monthlyIncome,
    monthlyObligations,
    availableFunds
  }
}
