import { Type, type Static } from 'typebox'
import { Decimal, Money, PolicyName, Ratio, Timestamp } from './common.js'

const Int = (min: number, max: number, description: string, example: number) =>
  Type.Integer({ minimum: min, maximum: max, description, examples: [example] })

export const PolicyRulesSchema = Type.Object({
  currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'default loan currency (ISO 4217)', examples: ['CNY'] }),
  annualInterestRate: Ratio('default contract rate when a loan does not send one', '0.12'),
  roundingMode: Type.Union([Type.Literal('HALF_UP'), Type.Literal('HALF_EVEN')], { description: 'rounding to the minor unit at every named step', examples: ['HALF_UP'] }),
  dayCount: Type.Union([Type.Literal('30/360'), Type.Literal('ACT/365')], { description: 'interest day count of the schedules', examples: ['30/360'] }),
  buckets: Type.Array(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 16, examples: ['M1'] }),
    minDays: Int(0, 3650, 'first overdue day of the bucket', 1),
    maxDays: Type.Union([Type.Integer({ minimum: 0, maximum: 3650 }), Type.Null()], { description: 'last overdue day; null for the open-ended last bucket' })
  }, { additionalProperties: false }), { minItems: 1, maxItems: 20, description: 'delinquency buckets by overdue days, contiguous from 0' }),
  penalty: Type.Object({
    graceDays: Int(0, 365, 'overdue days charged nothing; above them every overdue day counts', 3),
    penaltyMarkup: Decimal('penalty rate = contract rate × (1 + markup)', '0.5'),
    lateFeeFixed: Money('flat late fee when days > grace, in the loan currency', '0'),
    lateFeeRate: Decimal('late fee as a share of the overdue amount', '0'),
    annualCostCap: Type.Union([Ratio('cap on penalty + fees, as an annual rate on the overdue amount', '0.24'), Type.Null()])
  }, { additionalProperties: false }),
  installment: Type.Object({
    termsMonths: Type.Array(Int(1, 120, 'term in months', 12), { minItems: 1, maxItems: 24, uniqueItems: true }),
    methods: Type.Array(Type.Union([Type.Literal('annuity'), Type.Literal('equal_principal')]), { minItems: 1, maxItems: 2, uniqueItems: true }),
    maxTermMonths: Int(1, 120, 'no installment plan runs longer', 60),
    penaltyWaiver: Ratio('share of the penalty forgiven', '0.5')
  }, { additionalProperties: false }),
  deferral: Type.Object({
    holidayMonths: Type.Array(Int(1, 24, 'months without payments', 3), { maxItems: 12, uniqueItems: true }),
    maxOverdueDays: Int(0, 3650, 'deferrals are offered up to this many overdue days', 90),
    penaltyWaiver: Ratio('share of the penalty forgiven', '0'),
    repaymentMonths: Int(1, 120, 'annuity months after the holiday', 12),
    waiveHolidayInterest: Type.Boolean({ description: 'true: no interest accrues during the holiday' })
  }, { additionalProperties: false }),
  settlement: Type.Object({
    windowDays: Int(1, 365, 'days to pay the settlement', 14),
    penaltyWaiver: Ratio('share of the penalty forgiven', '1'),
    discountByBucket: Type.Record(Type.String({ minLength: 1, maxLength: 16 }), Ratio('discount on the balance', '0.1'), { maxProperties: 20, description: 'balance discount per delinquency bucket (absent = 0); at most 20, as many as buckets' })
  }, { additionalProperties: false }),
  affordability: Type.Object({
    maxShareOfDisposableIncome: Ratio('affordable = payment ≤ this share of (income − obligations)', '0.5')
  }, { additionalProperties: false }),
  quoteValidityDays: Int(1, 90, 'days a quote can be accepted', 7),
  servicing: Type.Optional(Type.Object({
    graceDays: Int(0, 3650, 'an installment not fully paid this many days after its due date is missed', 5),
    allowedMissedInstallments: Int(0, 120, 'the plan breaks when missed installments exceed this', 1),
    breakAfterDaysPastDue: Int(0, 3650, 'the plan breaks when an installment stays unpaid more days than this (≥ graceDays)', 60),
    lateInstallmentFee: Money('fee per missed installment, within the annual cost cap', '0'),
    reinstateWaivedPenalty: Type.Boolean({ description: 'on breach, the penalty waived at acceptance is owed again' }),
    allocationOrder: Type.Array(Type.Union([Type.Literal('fees'), Type.Literal('interest'), Type.Literal('principal')]), { minItems: 3, maxItems: 3, uniqueItems: true, description: 'order within one installment; installments go oldest first' }),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone whose calendar says what "today" is for this policy', examples: ['Asia/Shanghai'] })
  }, { additionalProperties: false, description: 'how accepted plans are serviced (absent: the defaults shown by the standard policy)' }))
}, { additionalProperties: false, description: 'Every lever of the repayment offer. Amounts and rates are decimal strings.' })

export type PolicyRules = Static<typeof PolicyRulesSchema>

export const PolicySchema = Type.Object({
  name: PolicyName,
  version: Type.Integer({ minimum: 1, description: 'each change is a new version; quotes record the version they used' }),
  builtIn: Type.Boolean({ description: 'true for the built-in standard policy that no tenant has changed' }),
  createdAt: Type.Union([Timestamp('when this version was stored'), Type.Null()]),
  rules: PolicyRulesSchema
}, { $id: 'Policy', additionalProperties: false })

export type PolicyView = Static<typeof PolicySchema>

export const PolicyListSchema = Type.Object({
  items: Type.Array(Type.Unsafe<PolicyView>({ $ref: 'Policy#' }))
}, { additionalProperties: false })

export const PolicyNameParams = Type.Object({ name: PolicyName }, { additionalProperties: false })
