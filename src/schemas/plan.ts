import { Type, type Static } from 'typebox'
import { IsoDate, MoneyOut, PolicyName, Timestamp, Uuid } from './common.js'
import { ScheduleRowSchema } from './quote.js'

const Text = (max: number, description: string, example: string) =>
  Type.String({ minLength: 1, maxLength: max, description, examples: [example] })

export const AcceptPlanSchema = Type.Object({
  quoteId: Uuid('the quote to accept (the `id` of POST /v1/quotes)'),
  optionId: Type.String({ minLength: 1, maxLength: 64, description: 'an option `id` of that quote, e.g. its `recommendedOptionId`', examples: ['installment-annuity-24'] }),
  acceptedBy: Type.Optional(Text(200, 'who accepted, for the record (the borrower, or the agent on their behalf)', 'borrower')),
  channel: Type.Optional(Text(50, 'how the acceptance was given', 'app')),
  note: Type.Optional(Text(2000, 'free text for the record', 'Accepted on the phone after explaining the schedule'))
}, { additionalProperties: false })

export type AcceptPlanBody = Static<typeof AcceptPlanSchema>

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 1,
    maxLength: 255,
    pattern: '^[\\x21-\\x7e]([\\x20-\\x7e]*[\\x21-\\x7e])?$',
    description: 'a unique key per acceptance (1–255 printable ASCII, e.g. a UUID); retries with the same key and body replay the first answer'
  })
})

const PlanStatus = Type.Union([Type.Literal('active'), Type.Literal('cancelled'), Type.Literal('completed'), Type.Literal('broken')], {
  description: 'active; cancelled by the lender; completed (everything paid); broken (the borrower breached the plan: collection resumes)'
})

/** Where a plan stands on a date: evaluated from its payments and the servicing rules. */
export const ServicingStateFields = {
  asOf: IsoDate('the date this state is evaluated for'),
  paidTotal: MoneyOut('money allocated to the plan so far'),
  outstanding: MoneyOut('everything still owed: unpaid installments, late fees, a reinstated penalty'),
  arrears: MoneyOut('the part of outstanding already past due'),
  daysPastDue: Type.Integer({ minimum: 0, description: 'days since the oldest unpaid installment fell due' }),
  missedInstallments: Type.Integer({ minimum: 0, description: 'installments not fully paid within the grace days' }),
  nextDue: Type.Union([Type.Object({ dueDate: IsoDate('due date'), amount: MoneyOut('still to pay on it') }, { additionalProperties: false }), Type.Null()]),
  completedAt: Type.Union([IsoDate('the date the plan was paid off'), Type.Null()]),
  brokenAt: Type.Union([IsoDate('the date the plan broke'), Type.Null()]),
  reinstatedPenalty: MoneyOut('the waived penalty owed again because the plan broke'),
  lateFees: MoneyOut('late installment fees charged')
}

const planFields = {
  id: Uuid('plan id'),
  loanId: Type.String(),
  status: PlanStatus,
  quoteId: Uuid('the accepted quote'),
  optionId: Type.String(),
  type: Type.Union([Type.Literal('installment'), Type.Literal('deferral'), Type.Literal('settlement')]),
  termMonths: Type.Union([Type.Integer(), Type.Null()]),
  method: Type.Union([Type.String(), Type.Null()]),
  holidayMonths: Type.Union([Type.Integer(), Type.Null()]),
  currency: Type.String(),
  amountFinanced: MoneyOut('what the plan repays'),
  totalRepayable: MoneyOut('sum of all payments'),
  totalInterest: MoneyOut('interest over the plan'),
  penaltyWaived: MoneyOut('penalty forgiven'),
  discount: MoneyOut('settlement discount'),
  capitalizedInterest: MoneyOut('holiday interest added to the principal'),
  maxPayment: MoneyOut('largest single payment'),
  apr: Type.String(),
  policy: Type.Object({ name: PolicyName, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  acceptedBy: Type.Union([Type.String(), Type.Null()]),
  channel: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp('when the plan was accepted'),
  cancelledAt: Type.Union([Timestamp('when the plan was cancelled'), Type.Null()]),
  cancelReason: Type.Union([Type.String(), Type.Null()])
}

export const PlanSummarySchema = Type.Object(planFields, { $id: 'PlanSummary', additionalProperties: false })
export type PlanSummary = Static<typeof PlanSummarySchema>

/** A schedule row of a plan: as agreed, and (when read) what has been paid on it. */
export const PlanScheduleRowSchema = Type.Object({
  ...ScheduleRowSchema.properties,
  fees: Type.Optional(MoneyOut('late installment fee charged to it')),
  paidPrincipal: Type.Optional(MoneyOut('principal paid')),
  paidInterest: Type.Optional(MoneyOut('interest paid')),
  paidFees: Type.Optional(MoneyOut('fees paid')),
  paidOn: Type.Optional(Type.Union([IsoDate('the date it was fully paid'), Type.Null()])),
  state: Type.Optional(Type.Union([Type.Literal('upcoming'), Type.Literal('due'), Type.Literal('paid'), Type.Literal('partially_paid'), Type.Literal('overdue'), Type.Literal('missed')], {
    description: 'upcoming; due today; paid; partially_paid (before it is due); overdue (past due, in grace); missed (unpaid after the grace days)'
  }))
}, { $id: 'PlanScheduleRow', additionalProperties: false })
export type PlanScheduleRow = Static<typeof PlanScheduleRowSchema>

const optionalServicing = Object.fromEntries(Object.entries(ServicingStateFields).map(([k, v]) => [k, Type.Optional(v)])) as {
  [K in keyof typeof ServicingStateFields]: Type.TOptional<(typeof ServicingStateFields)[K]>
}

export const PlanSchema = Type.Object({
  ...planFields,
  // Present when a plan is read (GET), absent from the acceptance's answer, which is replayed as first sent.
  ...optionalServicing,
  schedule: Type.Array(Type.Unsafe<PlanScheduleRow>({ $ref: 'PlanScheduleRow#' }))
}, { $id: 'Plan', additionalProperties: false })
export type PlanView = Static<typeof PlanSchema>

export const PlanRef = Type.Unsafe<PlanView>({ $ref: 'Plan#' })

export const PlanListQuery = Type.Object({
  loanId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "only this loan's plans" })),
  status: Type.Optional(PlanStatus),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'page size (1–100, default 20)' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the `nextCursor` of the previous page' }))
}, { additionalProperties: false })

export type PlanListQueryShape = Static<typeof PlanListQuery>

export const PlanListSchema = Type.Object({
  items: Type.Array(Type.Unsafe<PlanSummary>({ $ref: 'PlanSummary#' })),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `cursor` for the next page; null on the last page' })
}, { additionalProperties: false })

export const CancelPlanSchema = Type.Object({
  reason: Text(500, 'why the plan is cancelled', 'Borrower asked for a different option')
}, { additionalProperties: false })
