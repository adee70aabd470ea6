// The typed client of the repayment-plans API. Every request and response type comes from
// ./schema.d.ts, which openapi-typescript generates from openapi/openapi.json (`npm run client`;
// CI fails when it drifts). Nothing here declares a request or response shape by hand.
import createClient, { type Client, type ClientOptions } from 'openapi-fetch'
import type { components, operations, paths } from './schema.js'

export type { components, operations, paths }
export type RepaymentPlansClient = Client<paths>

/** Schemas by component name, e.g. `Schema<'Plan'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name]

export interface RepaymentPlansClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where the service listens, e.g. http://localhost:3000. */
  baseUrl: string
  /** A tenant's API key (`rpk_…`), sent as `Authorization: Bearer <key>`. */
  apiKey: string
}

/** A client for every operation: `client.POST('/v1/quotes', { body })` returns `{ data, error, response }`. */
export function createRepaymentPlansClient ({ baseUrl, apiKey, headers, ...options }: RepaymentPlansClientOptions): RepaymentPlansClient {
  return createClient<paths>({ ...options, baseUrl, headers: { ...headers, authorization: `Bearer ${apiKey}` } })
}
