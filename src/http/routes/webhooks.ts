import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { IdParams } from '../../schemas/common.js'
import {
  CreateWebhookEndpointSchema, DeliveryParams, WebhookDeliveryListSchema, WebhookDeliveryRef, WebhookEndpointListSchema,
  WebhookEndpointRef, WebhookEndpointWithSecretSchema, WebhookListQuery
} from '../../schemas/webhook.js'
import { authProblems, invalidBody, invalidInput, notFound, notJson, problem, tooLarge } from '../schemas/problem.js'

const ENDPOINT = '/v1/webhook-endpoints/3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60'
const notConfigured = { 503: problem('database unreachable or overloaded; or webhooks are not configured here (no WEBHOOK_ENCRYPTION_KEY)', 'service-unavailable', 'overloaded', 'webhooks-not-configured') }

export default async function webhookRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.post('/webhook-endpoints', {
    schema: {
      operationId: 'createWebhookEndpoint',
      tags: ['webhooks'],
      summary: 'Register an endpoint that receives the chosen events, signed (Standard Webhooks); the answer holds its secret, shown only once',
      description: 'Every event of the chosen types committed from now on is POSTed to `url` with the headers `webhook-id` (the event id: deduplicate on it), `webhook-timestamp` and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` under the secret). Failed attempts are retried with backoff for about three days; a 410 answer disables the endpoint. Events of one plan arrive in order.',
      body: CreateWebhookEndpointSchema,
      response: { 201: WebhookEndpointWithSecretSchema, 400: invalidBody, 413: tooLarge, 415: notJson, ...authProblems, ...notConfigured }
    }
  }, async (request, reply) => {
    const created = await app.webhooks.create(request.tenant.tenantId, request.body)
    return await reply.code(201).header('location', `/v1/webhook-endpoints/${created.id}`).send(created)
  })

  app.get('/webhook-endpoints', {
    schema: {
      operationId: 'listWebhookEndpoints',
      tags: ['webhooks'],
      summary: "The tenant's webhook endpoints, newest first, keyset-paginated (secrets are never shown)",
      querystring: WebhookListQuery,
      response: { 200: WebhookEndpointListSchema, 400: problem('invalid input; `errors` lists each bad field', 'validation', 'invalid-cursor'), ...authProblems }
    }
  }, async (request) => await app.webhooks.list(request.tenant.tenantId, request.query))

  app.get('/webhook-endpoints/:id', {
    schema: {
      operationId: 'getWebhookEndpoint',
      tags: ['webhooks'],
      summary: 'One webhook endpoint (its secret is never shown again)',
      params: IdParams('webhook endpoint'),
      response: { 200: WebhookEndpointRef, 400: invalidInput, 404: notFound('webhook endpoint', ENDPOINT), ...authProblems }
    }
  }, async (request) => await app.webhooks.get(request.tenant.tenantId, request.params.id))

  app.delete('/webhook-endpoints/:id', {
    schema: {
      operationId: 'deleteWebhookEndpoint',
      tags: ['webhooks'],
      summary: 'Delete a webhook endpoint: nothing more is sent to it, its pending deliveries are given up',
      params: IdParams('webhook endpoint'),
      response: { 204: Type.Null({ description: 'deleted' }), 400: invalidInput, 404: notFound('webhook endpoint', ENDPOINT), ...authProblems }
    }
  }, async (request, reply) => {
    await app.webhooks.delete(request.tenant.tenantId, request.params.id)
    return await reply.code(204).send(null)
  })

  app.post('/webhook-endpoints/:id/rotate-secret', {
    schema: {
      operationId: 'rotateWebhookSecret',
      tags: ['webhooks'],
      summary: 'A new signing secret (shown once); the old one keeps signing beside it for 24 hours',
      description: 'For 24 hours every request carries two signatures in `webhook-signature`, space-separated: one under the new secret, one under the old. Switch the receiver to the new secret within that time.',
      params: IdParams('webhook endpoint'),
      response: { 200: WebhookEndpointWithSecretSchema, 400: invalidInput, 404: notFound('webhook endpoint', `${ENDPOINT}/rotate-secret`), ...authProblems, ...notConfigured }
    }
  }, async (request) => await app.webhooks.rotateSecret(request.tenant.tenantId, request.params.id))

  app.get('/webhook-endpoints/:id/deliveries', {
    schema: {
      operationId: 'listWebhookDeliveries',
      tags: ['webhooks'],
      summary: "An endpoint's deliveries, newest event first: status, attempts, last response code and time (keyset-paginated)",
      params: IdParams('webhook endpoint'),
      querystring: WebhookListQuery,
      response: { 200: WebhookDeliveryListSchema, 400: problem('invalid input; `errors` lists each bad field', 'validation', 'invalid-cursor'), 404: notFound('webhook endpoint', `${ENDPOINT}/deliveries`), ...authProblems }
    }
  }, async (request) => await app.webhooks.deliveries(request.tenant.tenantId, request.params.id, request.query))

  app.post('/webhook-endpoints/:id/deliveries/:deliveryId/retry', {
    schema: {
      operationId: 'retryWebhookDelivery',
      tags: ['webhooks'],
      summary: 'Send a delivery again now (a failed one too, with a fresh retry window); enables an endpoint disabled by a 410',
      params: DeliveryParams,
      response: { 200: WebhookDeliveryRef, 400: invalidInput, 404: notFound('webhook delivery', `${ENDPOINT}/deliveries/5b1f0c3e-2a4d-4e6f-8a9b-0c1d2e3f4a5b/retry`), ...authProblems }
    }
  }, async (request) => await app.webhooks.retry(request.tenant.tenantId, request.params.id, request.params.deliveryId))
}
