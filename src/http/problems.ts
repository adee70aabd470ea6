// RFC 9457 problem details: one error type the handlers throw, one shape on the wire.
export interface FieldError { path: string, message: string }

export type ProblemFields = {
  type: string
  title: string
  status: number
  detail: string
  errors?: FieldError[]
} & Record<string, unknown>

export class Problem extends Error {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly extensions: Record<string, unknown>
  readonly headers: Record<string, string>

  constructor (status: number, slug: string, title: string, detail: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(detail)
    this.status = status
    this.type = problemType(slug)
    this.title = title
    this.extensions = extensions
    this.headers = headers
  }
}

export function problemType (slug: string): string {
  return slug === 'about:blank' ? slug : `/problems/${slug}`
}

export const notFound = (what: string): Problem =>
  new Problem(404, 'not-found', 'Not Found', `${what} was not found`)
