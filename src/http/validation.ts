import { Ajv, type Options } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

// ajv-formats is CommonJS; its default export arrives wrapped under native ESM.
type AddFormats = (ajv: Ajv, options: { mode: 'full' | 'fast' }) => Ajv
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats

const shared: Options = {
  removeAdditional: false, // unknown fields are an error, never silently stripped
  useDefaults: true,
  allErrors: false,
  strict: false, // OpenAPI keywords such as `examples` and `example` live in the schemas
  allowUnionTypes: true
}

function makeAjv (coerceTypes: Options['coerceTypes'], externalSchemas: Record<string, unknown>): Ajv {
  const ajv = new Ajv({ ...shared, coerceTypes })
  addFormats(ajv, { mode: 'full' })
  for (const schema of Object.values(externalSchemas)) ajv.addSchema(schema as object)
  return ajv
}

/**
 * JSON bodies are validated as sent (no coercion: "30" is not 30); query strings, params and
 * headers are text on the wire, so they are coerced to the declared types.
 */
export function buildValidator (externalSchemas: Record<string, unknown>): FastifySchemaCompiler<unknown> {
  const bodyAjv = makeAjv(false, externalSchemas)
  const textAjv = makeAjv('array', externalSchemas)
  return ({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object)
}
