import { Type, type Static } from 'typebox'
import { IsoDate, MoneyOut, PolicyName, Timestamp, Uuid } from './common.js'
import { PlanSummarySchema } from './plan.js'
import { PaymentRef, PlanPositionSchema } from './payment.js'

export const EVENT_TYPES = [
  'plan.accepted', 'plan.cancelled', 'plan.payment_recorded', 'plan.payment_reversed',
  'plan.installment_missed', 'plan.broken', 'plan.completed'
] as const
export type EventType = typeof EVENT_TYPES[number]

export const EventTypeSchema = Type.Union(EVENT_TYPES.map((t) => Type.Literal(t)), {
  description: 'plan.accepted; plan.cancelled; plan.payment_recorded; plan.payment_reversed; plan.installment_missed (not fully paid within the grace days); plan.broken (collection resumes); plan.completed (everything paid)'
})

const plan = PlanSummarySchema.properties

/** The plan as stored when the event was written. */
export const EventPlanSchema = Type.Object({
  id: plan.id,
  loanId: plan.loanId,
  status: plan.status,
  type: plan.type,
  optionId: plan.optionId,
  currency: plan.currency,
  amountFinanced: plan.amountFinanced,
  totalRepayable: plan.totalRepayable,
  penaltyWaived: plan.penaltyWaived,
  policy: Type.Object({ name: PolicyName, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  createdAt: plan.createdAt,
  cancelledAt: plan.cancelledAt,
  completedAt: Type.Union([IsoDate('the date the plan was paid off'), Type.Null()]),
  brokenAt: Type.Union([IsoDate('the date the plan broke'), Type.Null()])
}, { additionalProperties: false })

export const MissedInstallmentSchema = Type.Object({
  number: Type.Integer({ minimum: 1 }),
  dueDate: IsoDate('its due date'),
  unpaid: MoneyOut('still unpaid on it when the miss was recorded')
}, { additionalProperties: false })
export type MissedInstallment = Static<typeof MissedInstallmentSchema>

export const EventDataSchema = Type.Object({
  plan: EventPlanSchema,
  position: Type.Union([PlanPositionSchema, Type.Null()], { description: 'where the plan stands after the change (servicing events); null for plan.accepted and plan.cancelled' }),
  payment: Type.Union([PaymentRef, Type.Null()], { description: 'the payment (plan.payment_recorded, plan.payment_reversed); otherwise null' }),
  installment: Type.Union([MissedInstallmentSchema, Type.Null()], { description: 'the installment (plan.installment_missed); otherwise null' })
}, { additionalProperties: false })

export const EventSchema = Type.Object({
  id: Uuid('event id: the `webhook-id` of its deliveries, for deduplication'),
  type: EventTypeSchema,
  createdAt: Timestamp('when the change was committed'),
  data: EventDataSchema
}, { $id: 'Event', additionalProperties: false })
export type EventView = Static<typeof EventSchema>
export const EventRef = Type.Unsafe<EventView>({ $ref: 'Event#' })

export const EventListQuery = Type.Object({
  after: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the `nextCursor` of the previous page; omit to start from the oldest event kept' })),
  type: Type.Optional(EventTypeSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'page size (1–500, default 100)' }))
}, { additionalProperties: false })
export type EventListQueryShape = Static<typeof EventListQuery>

export const EventListSchema = Type.Object({
  items: Type.Array(EventRef),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `after` for the next page (also when this page is empty or short: new events appear after it); null only when there is no event yet' }),
  hasMore: Type.Boolean({ description: 'more events are ready now' })
}, { additionalProperties: false })
