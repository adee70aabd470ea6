import { Type, type Static } from 'typebox'

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

/** A problem response, declared with the media type it is really sent as. */
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemRef } }
})

/** Response entries for the problems any authenticated route can return. */
export const authProblems = {
  401: problem('missing, unknown or revoked API key'),
  414: problem('a path parameter is longer than 500 characters'),
  429: problem("the tenant's rate limit is exhausted; see Retry-After"),
  500: problem('unexpected error (logged; no details are returned)'),
  503: problem('database unreachable or the service is overloaded; see Retry-After')
}
