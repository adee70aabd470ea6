import type pg from 'pg'
import { InvalidRequest, NotFound, WebhooksNotConfigured } from '../domain/errors.js'
import {
  deleteEndpoint, findEndpoint, insertEndpoint, listDeliveries, listEndpoints, retryDelivery, rotateSecret, type EndpointCursor
} from '../db/webhooks-repository.js'
import type {
  CreateWebhookEndpoint, WebhookDeliveryView, WebhookEndpointView, WebhookEndpointWithSecret, WebhookListQueryShape
} from '../schemas/webhook.js'
import { decodeCreatedCursor, decodeSeqCursor, encodeCursor } from './cursor.js'
import { urlProblem, type UrlRules } from './webhook-addresses.js'
import { generateSecret, type SecretBox } from './webhook-secrets.js'

/** How long a rotated-out secret keeps signing beside the new one. */
export const ROTATION_OVERLAP_HOURS = 24

export interface Page<T> { items: T[], nextCursor: string | null }

/** Registering webhook endpoints, rotating their secrets, reading and retrying their deliveries. */
export class WebhookService {
  /** `box` is undefined when no encryption key is configured: endpoints cannot be created then. */
  constructor (private readonly db: pg.Pool, private readonly box: SecretBox | undefined, private readonly rules: UrlRules) {}

  async create (tenantId: string, body: CreateWebhookEndpoint): Promise<WebhookEndpointWithSecret> {
    const problem = urlProblem(body.url, this.rules)
    if (problem !== undefined) throw new InvalidRequest([{ path: '/body/url', message: problem }])
    const box = this.sealer()
    const secret = generateSecret()
    const endpoint = await insertEndpoint(this.db, tenantId, { url: body.url, description: body.description ?? '', eventTypes: body.eventTypes, sealedSecret: box.seal(secret) })
    return { ...endpoint, secret }
  }

  async get (tenantId: string, endpointId: string): Promise<WebhookEndpointView> {
    return await findEndpoint(this.db, tenantId, endpointId) ?? notFoundEndpoint()
  }

  async list (tenantId: string, query: WebhookListQueryShape): Promise<Page<WebhookEndpointView>> {
    const limit = query.limit ?? 20
    const rows = await listEndpoints(this.db, tenantId, query.cursor === undefined ? undefined : endpointCursor(query.cursor), limit + 1)
    const items = rows.slice(0, limit)
    const last = items[items.length - 1]
    return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor([last.createdAt, last.id]) : null }
  }

  async delete (tenantId: string, endpointId: string): Promise<void> {
    if (!await deleteEndpoint(this.db, tenantId, endpointId)) notFoundEndpoint()
  }

  async rotateSecret (tenantId: string, endpointId: string): Promise<WebhookEndpointWithSecret> {
    const box = this.sealer()
    const secret = generateSecret()
    const endpoint = await rotateSecret(this.db, tenantId, endpointId, box.seal(secret), ROTATION_OVERLAP_HOURS) ?? notFoundEndpoint()
    return { ...endpoint, secret }
  }

  async deliveries (tenantId: string, endpointId: string, query: WebhookListQueryShape): Promise<Page<WebhookDeliveryView>> {
    await this.get(tenantId, endpointId)
    const limit = query.limit ?? 20
    const rows = await listDeliveries(this.db, tenantId, endpointId, query.cursor === undefined ? undefined : decodeSeqCursor(query.cursor, 'd'), limit + 1)
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    return { items: page.map(({ seq: _, ...d }) => d), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(['d', last.seq]) : null }
  }

  async retry (tenantId: string, endpointId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    await this.get(tenantId, endpointId)
    const row = await retryDelivery(this.db, tenantId, endpointId, deliveryId)
    if (row === undefined) throw new NotFound('webhook delivery')
    const { seq: _, ...delivery } = row
    return delivery
  }

  private sealer (): SecretBox {
    if (this.box === undefined) throw new WebhooksNotConfigured()
    return this.box
  }
}

function notFoundEndpoint (): never {
  throw new NotFound('webhook endpoint')
}

function endpointCursor (cursor: string): EndpointCursor {
  const { createdAt, id } = decodeCreatedCursor(cursor)
  return { createdAt, endpointId: id }
}
