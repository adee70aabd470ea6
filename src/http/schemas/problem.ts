import { Type, type Static } from 'typebox'
import type { ProblemCode } from '../problems.js'
import { INTERNAL_ERROR_EXAMPLE, problemExample } from '../problem-catalogue.js'

export const FieldErrorSchema = Type.Object({
  path: Type.String({ description: 'JSON pointer to the offending value, prefixed by the request part', examples: ['/body/loan/balance'] }),
  message: Type.String({ examples: ['is required'] })
})

export const ProblemSchema = Type.Object({
  type: Type.String({ description: 'URI reference naming the kind of problem, e.g. /problems/validation', examples: ['/problems/validation'] }),
  title: Type.String({ examples: ['Bad Request'] }),
  status: Type.Integer({ minimum: 400, maximum: 599, examples: [400] }),
  detail: Type.String({ examples: ['/body/loan/balance is required'] }),
  instance: Type.Optional(Type.String({ examples: ['/v1/quotes'] })),
  errors: Type.Optional(Type.Array(FieldErrorSchema))
}, { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details (application/problem+json)' })

export type ProblemShape = Static<typeof ProblemSchema>

/** A reference to the shared Problem component, for route response maps. */
export const ProblemRef = Type.Unsafe<ProblemShape>({ $ref: 'Problem#' })

/** A problem response, declared with the media type it is really sent as, with one real example per kind. */
export const problem = (description: string, ...codes: Array<ProblemCode | 'internal'>) => ({
  description,
  content: {
    'application/problem+json': {
      schema: ProblemRef,
      examples: Object.fromEntries(codes.map((code) => code === 'internal'
        ? ['internal', { summary: 'internal error', value: INTERNAL_ERROR_EXAMPLE }]
        : [code, { summary: code, value: problemExample(code) }]))
    }
  }
})

/** Response entries for the problems any authenticated route can return. */
export const authProblems = {
  401: problem('missing, unknown or revoked API key', 'unauthorized'),
  414: problem('a path parameter is longer than 500 characters', 'uri-too-long'),
  429: problem("the tenant's rate limit is exhausted; see Retry-After", 'rate-limited'),
  500: problem('unexpected error (logged; no details are returned)', 'internal'),
  503: problem('database unreachable or the service is overloaded; see Retry-After', 'service-unavailable', 'overloaded')
}

/** The 400 of an operation with a path or query: the parameters fail the schema. */
export const invalidInput = problem('invalid input; `errors` lists each bad field', 'validation')
/** The 400 of an operation with a JSON body: the body is not JSON or fails the schema. */
export const invalidBody = problem('invalid input; `errors` lists each bad field', 'validation', 'malformed-json')
export const tooLarge = problem('the body is larger than the limit', 'payload-too-large')
export const notJson = problem('the body is not application/json', 'unsupported-media-type')
export const notFound = (what: 'quote' | 'plan' | 'policy' | 'payment' | 'webhook endpoint' | 'webhook delivery', instance: string) => {
  const response = problem(`the ${what} was not found (or belongs to another tenant)`, 'not-found')
  response.content['application/problem+json'].examples['not-found'] = { summary: 'not-found', value: { ...problemExample('not-found'), detail: `the ${what} was not found`, instance } }
  return response
}
