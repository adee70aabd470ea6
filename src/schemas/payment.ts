import { Type, type Static } from 'typebox'
import { IsoDate, Money, MoneyOut, Page, PageQuery, Timestamp, Uuid } from './common.js'
import { ServicingStateFields } from './plan.js'

const Text = (max: number, description: string, example: string) =>
  Type.String({ minLength: 1, maxLength: max, description, examples: [example] })

export const RecordPaymentSchema = Type.Object({
  reference: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$', description: "the lender's own unique id of the money received (unique per tenant; retries reuse it)", examples: ['PAY-2026-0001'] }),
  amount: Money('the amount received, > 0, at most what settles the plan on receivedOn', '1234.56'),
  receivedOn: IsoDate('the date the money was received, in the policy time zone; not before the plan was accepted, not after today'),
  channel: Type.Optional(Text(50, 'how the money came in', 'bank-transfer')),
  note: Type.Optional(Text(2000, 'free text for the record', 'Paid at the branch'))
}, { additionalProperties: false })
export type RecordPaymentBody = Static<typeof RecordPaymentSchema>

export const ReversePaymentSchema = Type.Object({
  reason: Text(500, 'why the payment is reversed (bounced, mistaken)', 'Cheque bounced')
}, { additionalProperties: false })

const InstallmentAllocation = Type.Object({
  number: Type.Integer({ minimum: 1, description: 'the installment' }),
  fees: MoneyOut('to late installment fees'),
  interest: MoneyOut('to interest'),
  principal: MoneyOut('to principal')
}, { additionalProperties: false })

export const AllocationSchema = Type.Object({
  installments: Type.Array(InstallmentAllocation, { description: 'oldest due first; within one, in the policy allocationOrder' }),
  penalty: MoneyOut('to the penalty reinstated when the plan broke'),
  settlesPlan: Type.Boolean({ description: 'this payment paid the plan off' }),
  interestWaived: MoneyOut('interest not yet earned that paying off forgave')
}, { additionalProperties: false, description: 'where the money went, replayed in booking order as of the answer' })

export const PaymentSchema = Type.Object({
  id: Uuid('payment id'),
  planId: Uuid('the plan'),
  reference: Type.String(),
  amount: MoneyOut('amount received'),
  receivedOn: IsoDate('date received'),
  channel: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp('when it was recorded'),
  reversedAt: Type.Union([Timestamp('when it was reversed'), Type.Null()]),
  reversalReason: Type.Union([Type.String(), Type.Null()]),
  allocation: Type.Union([AllocationSchema, Type.Null()], { description: 'null once reversed' })
}, { $id: 'Payment', additionalProperties: false })
export type PaymentView = Static<typeof PaymentSchema>
export const PaymentRef = Type.Unsafe<PaymentView>({ $ref: 'Payment#' })

export const PlanPositionSchema = Type.Object({
  id: Uuid('plan id'),
  status: Type.Union([Type.Literal('active'), Type.Literal('cancelled'), Type.Literal('completed'), Type.Literal('broken')]),
  ...ServicingStateFields
}, { additionalProperties: false, description: 'where the plan stands after this change' })

export const PaymentResultSchema = Type.Object({
  payment: PaymentRef,
  plan: PlanPositionSchema
}, { additionalProperties: false })
export type PaymentResult = Static<typeof PaymentResultSchema>

export const PaymentListQuery = PageQuery
export type PaymentListQueryShape = Static<typeof PaymentListQuery>

export const PaymentListSchema = Page(PaymentRef)

export const PaymentParams = Type.Object({ id: Uuid('plan id'), paymentId: Uuid('payment id') }, { additionalProperties: false })

export const AsOfQuery = Type.Object({
  asOf: Type.Optional(IsoDate('evaluate as of this date (read-only); default: today in the policy time zone'))
}, { additionalProperties: false })

export const PayoffSchema = Type.Object({
  planId: Uuid('the plan'),
  asOf: IsoDate('the date the payoff holds for'),
  currency: Type.String(),
  amount: MoneyOut('one payment of exactly this on asOf completes the plan'),
  unpaidPrincipal: MoneyOut('principal not yet paid'),
  unpaidInterestDue: MoneyOut('unpaid interest of installments due on or before asOf'),
  accruedInterest: MoneyOut("the current period's interest earned to asOf, unpaid"),
  unpaidFees: MoneyOut('late installment fees not yet paid'),
  interestWaived: MoneyOut('scheduled interest not yet earned, forgiven by paying off')
}, { additionalProperties: false })
export type PayoffView = Static<typeof PayoffSchema>
