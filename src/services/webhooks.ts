import type pg from 'pg'
import { InvalidCursor, InvalidRequest, NotFound, WebhooksNotConfigured } from '../domain/errors.js'
import {
  deleteEndpoint, findEndpoint, insertEndpoint, listDeliveries, listEndpoints, retryDelivery, rotateSecret, type EndpointCursor
} from '../db/webhooks-repository.js'
import type {
  CreateWebhookEndpoint, WebhookDeliveryView, WebhookEndpointView, WebhookEndpointWithSecret, WebhookListQueryShape
} from '../schemas/webhook.js'
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
    const rows = await listEndpoints(this.db, tenantId, query.cursor === undefined ? undefined : decodeEndpointCursor(query.cursor), limit + 1)
    const items = rows.slice(0, limit)
    const last = items[items.length - 1]
    return { items, nextCursor: rows.length > limit && last !== undefined ? encode([last.createdAt, last.id]) : null }
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
    const rows = await listDeliveries(this.db, tenantId, endpointId, query.cursor === undefined ? undefined : decodeSeqCursor(query.cursor), limit + 1)
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    return { items: page.map(({ seq: _, ...d }) => d), nextCursor: rows.length > limit && last !== undefined ? encode(['d', last.seq]) : null }
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

const encode = (parts: unknown[]): string => Buffer.from(JSON.stringify(parts)).toString('base64url')

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function decodeEndpointCursor (cursor: string): EndpointCursor {
  try {
    const [createdAt, endpointId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (typeof createdAt === 'string' && TIMESTAMP.test(createdAt) && !createdAt.startsWith('0000') && typeof endpointId === 'string' && UUID.test(endpointId) &&
      new Date(createdAt).toISOString().slice(0, 23) === createdAt.slice(0, 23)) return { createdAt, endpointId }
  } catch {}
  throw new InvalidCursor()
}

function decodeSeqCursor (cursor: string): string {
  try {
    const [kind, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (kind === 'd' && typeof seq === 'string' && /^[0-9]{1,18}$/.test(seq)) return seq
  } catch {}
  throw new InvalidCursor()
}
