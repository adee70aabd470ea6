import { Type, type TSchema } from 'typebox'

// Patterns enforce the wire format; the domain then checks each amount against its currency.
export const MONEY_PATTERN = '^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,4})?$'
export const RATIO_PATTERN = '^(0(\\.[0-9]{1,10})?|1(\\.0{1,10})?)$'
export const DECIMAL_PATTERN = '^(0|[1-9][0-9]{0,5})(\\.[0-9]{1,10})?$'
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
export const POLICY_NAME_PATTERN = '^[a-z0-9][a-z0-9_-]{0,62}$'

export const Money = (description: string, example: string) =>
  Type.String({ pattern: MONEY_PATTERN, maxLength: 20, description: `${description} (decimal string in major units, with at most the currency's minor digits)`, examples: [example] })

export const MoneyOut = (description: string) =>
  Type.String({ description: `${description} (decimal string with exactly the currency's minor digits)` })

export const Ratio = (description: string, example: string) =>
  Type.String({ pattern: RATIO_PATTERN, description: `${description} (decimal fraction of 1: "0.18" = 18 %)`, examples: [example] })

export const Decimal = (description: string, example: string) =>
  Type.String({ pattern: DECIMAL_PATTERN, description: `${description} (non-negative decimal string)`, examples: [example] })

export const IsoDate = (description: string, example = '2026-11-29') =>
  Type.String({ format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: `${description} (YYYY-MM-DD)`, examples: [example] })

export const Timestamp = (description: string) =>
  Type.String({ format: 'date-time', description })

export const Uuid = (description: string) =>
  // A pattern, not format: 'uuid', which also admits "urn:uuid:…" that PostgreSQL refuses.
  Type.String({ pattern: UUID_PATTERN, description, examples: ['3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f60'] })

export const IdParams = (name: string) => Type.Object({ id: Uuid(`${name} id`) }, { additionalProperties: false })

export const PolicyName = Type.String({ pattern: POLICY_NAME_PATTERN, description: 'policy name (lower-case letters, digits, - and _)', examples: ['standard'] })

/** A keyset page request: `limit` and the previous page's `nextCursor`. */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'page size (1–100, default 20)' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the `nextCursor` of the previous page' }))
}, { additionalProperties: false })

/** A keyset page of `item`s. */
export const Page = <T extends TSchema>(item: T) => Type.Object({
  items: Type.Array(item),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `cursor` for the next page; null on the last page' })
}, { additionalProperties: false })
