import { Type, type Static } from 'typebox'
import { IsoDate, Money, MoneyOut, PolicyName, Ratio, Timestamp, Uuid } from './common.js'

export const QuoteRequestSchema = Type.Object({
  loan: Type.Object({
    loanId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$', description: "the lender's loan reference", examples: ['LN-2026-000123'] }),
    balance: Money('outstanding principal, > 0', '50000.00'),
    overdueDays: Type.Integer({ minimum: 0, maximum: 3650, description: 'days past due of the oldest unpaid installment', examples: [45] }),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: "ISO 4217 code; default: the policy's", examples: ['CNY'] })),
    annualInterestRate: Type.Optional(Ratio("contract rate; default: the policy's", '0.12')),
    overdueAmount: Type.Optional(Money('the past-due part; default: the balance', '50000.00')),
    accruedInterest: Type.Optional(Money('interest accrued and unpaid; default 0', '0')),
    feesDue: Type.Optional(Money('fees due; default 0', '0'))
  }, { additionalProperties: false }),
  borrower: Type.Object({
    monthlyIncome: Money('net monthly income, ≥ 0', '9000.00'),
    monthlyObligations: Type.Optional(Money('other monthly debt payments and fixed costs; default 0', '1500.00')),
    availableFunds: Type.Optional(Money('cash the borrower could pay now (for the settlement verdict)', '20000.00'))
  }, { additionalProperties: false }),
  // No example date: an example with a fixed asOf would quote a schedule that is in the past weeks later.
  asOf: Type.Optional(Type.String({ format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'the date the quote is computed for (YYYY-MM-DD); default: today (UTC): omit it unless you re-quote a past date' })),
  policy: Type.Optional({ ...PolicyName, description: 'policy to apply; default: standard' })
}, {
  additionalProperties: false,
  examples: [{
    loan: { loanId: 'LN-2026-000123', balance: '50000.00', overdueDays: 45, annualInterestRate: '0.12' },
    borrower: { monthlyIncome: '9000.00', monthlyObligations: '1500.00' }
  }]
})

export type QuoteRequestBody = Static<typeof QuoteRequestSchema>

export const ScheduleRowSchema = Type.Object({
  number: Type.Integer({ minimum: 1 }),
  dueDate: IsoDate('due date'),
  payment: MoneyOut("amount due; above 0 on every row except a deferral's holiday rows"),
  principal: MoneyOut('principal part'),
  interest: MoneyOut('interest part'),
  balance: MoneyOut('principal outstanding after this installment')
}, { $id: 'ScheduleRow', additionalProperties: false })

export type ScheduleRowView = Static<typeof ScheduleRowSchema>

const OptionType = Type.Union([Type.Literal('installment'), Type.Literal('deferral'), Type.Literal('settlement')])

export const QuoteOptionSchema = Type.Object({
  id: Type.String({ description: 'stable within the quote: installment-<method>-<termMonths>, deferral-<holidayMonths>, settlement', examples: ['installment-annuity-12'] }),
  type: OptionType,
  termMonths: Type.Union([Type.Integer(), Type.Null()], { description: 'number of schedule rows, payments only: an installment plan that its rounded level payment repays early is shorter than the policy term (its id names this term); deferral: holiday rows + repayment rows; null for the settlement' }),
  method: Type.Union([Type.Literal('annuity'), Type.Literal('equal_principal'), Type.Null()]),
  holidayMonths: Type.Union([Type.Integer(), Type.Null()]),
  amountFinanced: MoneyOut('what the option repays: total due less waived penalty (and settlement discount)'),
  schedule: Type.Array(Type.Unsafe<ScheduleRowView>({ $ref: 'ScheduleRow#' })),
  totalRepayable: MoneyOut('sum of all payments'),
  totalInterest: MoneyOut('interest over the option, capitalised holiday interest included'),
  penaltyWaived: MoneyOut('penalty forgiven'),
  discount: MoneyOut('settlement discount on the balance'),
  capitalizedInterest: MoneyOut('holiday interest added to the principal (deferral): round(amountFinanced × rate × t), t = holidayMonths/12 under 30/360, actual days from asOf to the last holiday date / 365 under ACT/365; 0 when the policy waives it'),
  maxPayment: MoneyOut('largest single payment'),
  firstPaymentDate: IsoDate('due date of the first row whose payment is above 0 (a deferral: the first row after the holiday)'),
  apr: Type.String({ description: 'effective annual rate of the payments against the amount financed, 4 decimals' }),
  paymentToIncome: Type.Union([Type.String(), Type.Null()], { description: 'maxPayment / monthlyIncome, 4 decimals; null when income is 0' }),
  affordable: Type.Union([Type.Boolean(), Type.Null()], { description: 'settlement: null unless availableFunds was sent' }),
  summary: Type.String({ description: 'one plain-language sentence to read to the borrower' })
}, { $id: 'QuoteOption', additionalProperties: false })

export type QuoteOptionView = Static<typeof QuoteOptionSchema>

export const QuoteSchema = Type.Object({
  id: Uuid('quote id'),
  policy: Type.Object({ name: PolicyName, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  createdAt: Timestamp('when the quote was computed'),
  expiresAt: Timestamp('accept before this instant'),
  asOf: IsoDate('calculation date'),
  loan: Type.Object({
    loanId: Type.String(),
    currency: Type.String(),
    balance: MoneyOut('outstanding principal'),
    overdueDays: Type.Integer(),
    overdueAmount: MoneyOut('past-due part'),
    annualInterestRate: Type.String(),
    accruedInterest: MoneyOut('accrued interest'),
    feesDue: MoneyOut('fees due')
  }, { additionalProperties: false }),
  borrower: Type.Object({
    monthlyIncome: MoneyOut('monthly income'),
    monthlyObligations: MoneyOut('monthly obligations'),
    availableFunds: Type.Union([MoneyOut('funds available now'), Type.Null()])
  }, { additionalProperties: false }),
  delinquencyBucket: Type.String({ examples: ['M2'] }),
  penalty: Type.Object({
    base: MoneyOut('overdue amount the penalty is charged on'),
    annualInterestRate: Type.String(),
    penaltyMarkup: Type.String(),
    penaltyRate: Type.String({ description: 'contract rate × (1 + markup)' }),
    graceDays: Type.Integer(),
    overdueDays: Type.Integer(),
    chargeableDays: Type.Integer({ description: 'overdue days when above the grace days, else 0' }),
    penaltyInterest: MoneyOut('round(base × penaltyRate × days / 365)'),
    lateFee: MoneyOut('late fee'),
    cap: Type.Union([MoneyOut('round(base × annualCostCap × days / 365)'), Type.Null()]),
    capApplied: Type.Boolean(),
    capReduction: MoneyOut('amount the cap removed'),
    total: MoneyOut('penalty charged')
  }, { additionalProperties: false }),
  totalDue: MoneyOut('balance + accrued interest + fees + penalty'),
  affordability: Type.Object({
    monthlyIncome: MoneyOut('monthly income'),
    monthlyObligations: MoneyOut('monthly obligations'),
    disposableIncome: MoneyOut('max(0, income − obligations)'),
    maxShareOfDisposableIncome: Type.String(),
    maxAffordablePayment: MoneyOut('round(disposable × share)')
  }, { additionalProperties: false }),
  options: Type.Array(Type.Unsafe<QuoteOptionView>({ $ref: 'QuoteOption#' })),
  rejectedOptions: Type.Array(Type.Object({ id: Type.String(), type: OptionType, reason: Type.String() }, { additionalProperties: false }), { description: 'options the policy lists that this quote does not offer, each with its reason: term over the maximum, holiday not allowed at this delinquency, level payment rounding to 0, a month\'s interest above the level payment, or a plan repaid early whose real term is already offered' }),
  recommendedOptionId: Type.Union([Type.String(), Type.Null()], { description: 'the affordable installment or deferral with the lowest totalRepayable; ties: fewer termMonths, then the earlier option' }),
  closestOptionId: Type.Union([Type.String(), Type.Null()], { description: 'when none is affordable: the installment or deferral with the lowest maxPayment; ties: lower totalRepayable, then the earlier option; null when no plan is offered' }),
  needsReview: Type.Boolean({ description: 'true when no option is affordable: a person should look at this case' }),
  reviewReason: Type.Union([Type.String(), Type.Null()])
}, { $id: 'Quote', additionalProperties: false })

export type QuoteView = Static<typeof QuoteSchema>
export const QuoteRef = Type.Unsafe<QuoteView>({ $ref: 'Quote#' })
