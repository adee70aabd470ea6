import { Type, type Static } from 'typebox'
import { Page, PageQuery, Timestamp, Uuid } from './common.js'
import { EventTypeSchema } from './event.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

export const CreateWebhookEndpointSchema = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'where events are POSTed: https:// (http:// only where WEBHOOK_ALLOW_HTTP), no credentials, not a private, loopback, link-local or metadata address', examples: ['https://lender.example/webhooks/repayment-plans'] }),
  eventTypes: Type.Array(EventTypeSchema, { minItems: 1, maxItems: 7, uniqueItems: true, description: 'the event types sent to this endpoint' }),
  description: Type.Optional(Type.String({ maxLength: 500, description: 'what the endpoint is for', examples: ['collections queue'] }))
}, { additionalProperties: false })
export type CreateWebhookEndpoint = Static<typeof CreateWebhookEndpointSchema>

export const WebhookEndpointSchema = Type.Object({
  id: Uuid('endpoint id'),
  url: Type.String(),
  description: Type.String(),
  eventTypes: Type.Array(EventTypeSchema),
  status: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')], { description: 'disabled: the receiver answered 410 Gone (see `disabledReason`); nothing is sent until a delivery is retried' }),
  disabledReason: Nullable(Type.String()),
  previousSecretExpiresAt: Nullable(Timestamp('after a rotation: until when the previous secret also signs (a second signature in `webhook-signature`)')),
  createdAt: Timestamp('when the endpoint was created')
}, { $id: 'WebhookEndpoint', additionalProperties: false })
export type WebhookEndpointView = Static<typeof WebhookEndpointSchema>
export const WebhookEndpointRef = Type.Unsafe<WebhookEndpointView>({ $ref: 'WebhookEndpoint#' })

/** The answer of creation and rotation: the only ones that ever show a secret. */
export const WebhookEndpointWithSecretSchema = Type.Object({
  ...WebhookEndpointSchema.properties,
  secret: Type.String({ description: 'the signing secret (Standard Webhooks: `whsec_` + base64). Shown only in this answer: store it now', examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] })
}, { additionalProperties: false })
export type WebhookEndpointWithSecret = Static<typeof WebhookEndpointWithSecretSchema>

export const WebhookListQuery = PageQuery
export type WebhookListQueryShape = Static<typeof WebhookListQuery>

export const WebhookEndpointListSchema = Page(WebhookEndpointRef)

export const WebhookDeliverySchema = Type.Object({
  id: Uuid('delivery id'),
  endpointId: Uuid('endpoint id'),
  eventId: Uuid('event id (the `webhook-id` header of every attempt)'),
  eventType: EventTypeSchema,
  planId: Uuid('the plan the event is about'),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')], { description: 'pending: waiting for its next attempt (or for an earlier event of the same plan); delivered: answered 2xx; failed: retries exhausted, or the endpoint was disabled or deleted' }),
  attempts: Type.Integer({ minimum: 0, description: 'attempts made so far' }),
  nextAttemptAt: Nullable(Timestamp('when a pending delivery is next tried; for one waiting behind an earlier event of its plan, the latest time (it goes as soon as that one is delivered or given up)')),
  lastAttemptAt: Nullable(Timestamp('when the last attempt ended')),
  lastResponseStatus: Nullable(Type.Integer({ description: "the last attempt's HTTP status; null when it got none (timeout, connection error)" })),
  lastError: Nullable(Type.String({ description: 'why the last attempt failed, when it did' })),
  deliveredAt: Nullable(Timestamp('when the receiver answered 2xx')),
  createdAt: Timestamp('when the event was committed')
}, { $id: 'WebhookDelivery', additionalProperties: false })
export type WebhookDeliveryView = Static<typeof WebhookDeliverySchema>
export const WebhookDeliveryRef = Type.Unsafe<WebhookDeliveryView>({ $ref: 'WebhookDelivery#' })

export const WebhookDeliveryListSchema = Page(WebhookDeliveryRef)

export const DeliveryParams = Type.Object({
  id: Uuid('endpoint id'),
  deliveryId: Uuid('delivery id')
}, { additionalProperties: false })
