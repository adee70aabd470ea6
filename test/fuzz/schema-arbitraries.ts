// Turns the JSON schemas of an OpenAPI document into fast-check arbitraries: values that satisfy a
// schema (optionally biased towards known-good seeds, so requests reach real data) and hostile
// mutations of them. Whether a mutation really breaks the schema is decided later, by Ajv, on the
// exact bytes sent; these arbitraries only make breaking values likely.
import fc from 'fast-check'

export type Schema = Record<string, any>

/** A string the JSON text carries as the number 2^53 + 1, which a JavaScript number cannot hold. */
export const BIG_INT_SENTINEL = '\u0001__2^53+1__'
export const BIG_INT_TEXT = '9007199254740993'

/** Replaces the sentinel with the raw number in a JSON text. */
export function withRawNumbers (json: string): string {
  return json.split(JSON.stringify(BIG_INT_SENTINEL)).join(BIG_INT_TEXT)
}

/** An object whose own key is `name` (`__proto__` included), as JSON.parse would build it. */
export function ownKey (target: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...target }
  Object.defineProperty(copy, name, { value, enumerable: true, configurable: true, writable: true })
  return copy
}

/** Nests `{"a": …}` `depth` levels deep when serialised; small while fast-check holds (and prints) it. */
export class Deep {
  constructor (readonly depth: number, readonly kind: 'object' | 'array' = 'object') {}
  toJSON (): unknown { return this.kind === 'object' ? deepObject(this.depth) : deepArray(this.depth) }
  toString (): string { return `Deep(${this.kind}, ${this.depth})` }
}

export function deepObject (depth: number): unknown {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

export function deepArray (depth: number): unknown {
  let value: unknown = []
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

// Strings that break parsers, databases and naive code; every unconstrained string field gets them.
export const HOSTILE_STRINGS = [
  '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\udc00\ud800', '\ud83d', '😀', '\u202e\u0301', '\uffff', '\ufeff',
  // eslint-disable-next-line no-template-curly-in-string -- a literal '${x}' is one of the hostile strings
  '__proto__', 'constructor', 'prototype', "'; DROP TABLE plans; --", '%00', '%zz', '${x}', '\\', '"', '\n\r\t', ' ', '<script>'
]

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.array(fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), { minLength: 1, maxLength: 4 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`) }
)

// Values of every JSON type, including the numeric extremes; the schema decides which are wrong.
const WRONG_VALUES: unknown[] = [
  BIG_INT_SENTINEL, 1e308, -1e308, 5e-324, -1, 0, 1.5, -0.5, 30, true, false, null, '', 'string', '30', '1e308',
  [], [1, 2], [{}], ['a'], {}, { a: 1 }, new Deep(64), new Deep(64, 'array'), 'x'.repeat(5000)
]
const wrongValue = fc.constantFrom(...WRONG_VALUES)

export interface SchemaContext {
  /** Follows a `$ref` into the document. */
  resolve: (schema: Schema) => Schema
}

function typeOf (schema: Schema): string | undefined {
  if (typeof schema.type === 'string') return schema.type
  if (schema.enum !== undefined || schema.const !== undefined) return 'enum'
  if (schema.properties !== undefined) return 'object'
  return undefined
}

function stringArb (s: Schema): fc.Arbitrary<string> {
  const min: number = s.minLength ?? 0
  const max: number = s.maxLength ?? 100
  const fits = (v: string) => v.length >= min && v.length <= max
  if (s.format === 'uuid') return fc.uuid()
  if (s.format === 'date') {
    return fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
  }
  if (s.format === 'date-time') return fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('2999-01-01') }).map((d) => d.toISOString())
  if (typeof s.pattern === 'string') {
    const re = new RegExp(s.pattern, 'u')
    return fc.stringMatching(re, { size: 'small' }).filter(fits)
  }
  // No pattern: anything goes, and anything must be handled (NUL bytes and lone surrogates included).
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 40) }) },
    { weight: 2, arbitrary: hostileString.filter(fits) },
    { weight: 1, arbitrary: fc.integer({ min, max: Math.min(max, min + 3) }).map((n) => 'y'.repeat(n)).filter(fits) },
    { weight: 1, arbitrary: fc.constant('z'.repeat(max)).filter(fits) }
  )
}

function seedsAt (seeds: unknown[], key: string): unknown[] {
  return seeds.flatMap((s) => s !== null && typeof s === 'object' && !Array.isArray(s) && key in s ? [(s as Record<string, unknown>)[key]] : [])
}

/** Values valid under `schema`: mostly one of the seeds, or the seeds with some parts regenerated. */
export function validArb (ctx: SchemaContext, schema: Schema, seeds: unknown[] = []): fc.Arbitrary<unknown> {
  const generated = generate(ctx, ctx.resolve(schema), seeds)
  if (seeds.length === 0) return generated
  return fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...seeds) }, { weight: 1, arbitrary: generated })
}

function generate (ctx: SchemaContext, s: Schema, seeds: unknown[]): fc.Arbitrary<unknown> {
  if ('const' in s) return fc.constant(s.const)
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]))
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined
  if (alternatives !== undefined) return fc.oneof(...alternatives.map((a) => validArb(ctx, a, seeds)))
  switch (typeOf(s)) {
    case 'string': return stringArb(s)
    case 'integer': return fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 })
    case 'number': return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true })
    case 'boolean': return fc.boolean()
    case 'null': return fc.constant(null)
    case 'array': {
      const items = validArb(ctx, s.items ?? {}, seeds.flatMap((x) => Array.isArray(x) ? x : []))
      const limits = { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 6, 6) }
      if (limits.maxLength < limits.minLength) limits.maxLength = limits.minLength
      return s.uniqueItems === true ? fc.uniqueArray(items, { ...limits, selector: (v) => JSON.stringify(v) }) : fc.array(items, limits)
    }
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, Schema>
      const model: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [key, prop] of Object.entries(properties)) model[key] = validArb(ctx, prop, seedsAt(seeds, key))
      const record = fc.record(model, { requiredKeys: (s.required ?? []) as string[] })
      if (s.additionalProperties !== undefined && typeof s.additionalProperties === 'object') {
        // A map (TypeBox Record): arbitrary keys, hostile ones included.
        const extra = fc.dictionary(fc.oneof(fc.string({ minLength: 1, maxLength: 16 }), fc.constantFrom('M1', 'M4+', 'constructor', 'toString')), validArb(ctx, s.additionalProperties), { maxKeys: 4 })
        return fc.tuple(record, extra).map(([r, e]) => ({ ...e, ...r }))
      }
      return record
    }
    default: return fc.jsonValue({ maxDepth: 2 })
  }
}

/**
 * Values likely to be invalid under `schema`: a wrong type, a bound crossed, a pattern broken, a
 * required key removed, an unknown key (`__proto__`, `constructor`, `prototype` among them) added,
 * or one nested part mutated the same way.
 */
export function invalidArb (ctx: SchemaContext, schema: Schema, seeds: unknown[] = []): fc.Arbitrary<unknown> {
  const s = ctx.resolve(schema)
  const options: Array<fc.Arbitrary<unknown>> = [wrongValue]
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined
  if (Array.isArray(s.enum) || 'const' in s || alternatives !== undefined) {
    options.push(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('ACTIVE', 'active ', 'Active', 'HALF_DOWN', '30/365', 'annuity\u0000')))
  }
  switch (typeOf(s)) {
    case 'string': {
      const max: number | undefined = s.maxLength
      const min: number = s.minLength ?? 0
      if (max !== undefined) options.push(fc.integer({ min: max + 1, max: max + 3 }).map((n) => '7'.repeat(n)), fc.constant('9'.repeat(70_000)))
      if (min > 0) options.push(fc.constant(''))
      if (s.pattern !== undefined || s.format !== undefined) {
        options.push(hostileString, fc.constantFrom('not-a-uuid', '3f1c2a9e-8b7d-4c5e-9f0a-1b2c3d4e5f6', '2026-02-30', '2026-13-01', '1.2345', '-1', '01', '1e3', ' 1', 'abc', 'ÄBC', 'A', '0.5.5', '1,5', '１'))
      }
      break
    }
    case 'integer':
    case 'number': {
      const extremes: unknown[] = [BIG_INT_SENTINEL, 1e308, -1e308, 1.5]
      if (s.minimum !== undefined) extremes.push(s.minimum - 1)
      if (s.maximum !== undefined) extremes.push(s.maximum + 1, s.maximum + 0.5)
      options.push(fc.constantFrom(...extremes), fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 100 }).map(String))
      break
    }
    case 'array': {
      const items = (s.items ?? {}) as Schema
      const valid = validArb(ctx, items, seeds.flatMap((x) => Array.isArray(x) ? x : []))
      if (s.maxItems !== undefined) options.push(fc.array(valid, { minLength: s.maxItems + 1, maxLength: s.maxItems + 2 }), fc.constant(new Array(20_000).fill(0)))
      if (s.minItems !== undefined && s.minItems > 0) options.push(fc.constant([]))
      if (s.uniqueItems === true) options.push(valid.map((v) => [v, v]))
      options.push(fc.tuple(valid, invalidArb(ctx, items)).map(([a, b]) => [a, b]), fc.constant({ 0: 1, length: 1 }))
      break
    }
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, Schema>
      const required = (s.required ?? []) as string[]
      const base = validArb(ctx, s, seeds).map((v) => v as Record<string, unknown>)
      if (required.length > 0) {
        options.push(fc.tuple(base, fc.constantFrom(...required)).map(([v, key]) => { const copy = { ...v }; delete copy[key]; return copy }))
      }
      if (s.additionalProperties === false) {
        const unknownKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'tenantId', 'id', 'totalRepayable', 'status', ''), fc.string({ minLength: 1, maxLength: 10 }))
        options.push(fc.tuple(base, unknownKey, fc.oneof(wrongValue, fc.constant({ polluted: true }))).filter(([, key]) => !(key in properties))
          .map(([v, key, value]) => ownKey(v, key, value)))
      }
      const keys = Object.keys(properties)
      if (keys.length > 0) {
        options.push(fc.constantFrom(...keys).chain((key) =>
          fc.tuple(base, invalidArb(ctx, properties[key]!, seedsAt(seeds, key))).map(([v, bad]) => ({ ...v, [key]: bad }))))
      }
      options.push(base.map((v) => [v]), fc.constant(new Deep(2_000)))
      break
    }
  }
  return fc.oneof(...options)
}
