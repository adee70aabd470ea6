import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Problem } from '../problems.js'

// PostgreSQL text and jsonb cannot hold NUL, and a lone UTF-16 surrogate is not text at all.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Paths of strings (and keys) that are not storable text; iterative, so any nesting depth is safe. */
function unsafePaths (root: unknown, rootPath: string, found: string[]): void {
  const stack: Array<[unknown, string]> = [[root, rootPath]]
  while (stack.length > 0 && found.length < 10) {
    const [value, path] = stack.pop()!
    if (typeof value === 'string') {
      if (UNSAFE.test(value)) found.push(path)
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => { stack.push([item, `${path}/${i}`]) })
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (UNSAFE.test(key)) found.push(`${path}/${key}`)
        stack.push([item, `${path}/${key}`])
      }
    }
  }
}

/** Refuses NUL bytes and unpaired surrogates anywhere in a request with a 400 naming the field. */
export default fp(async function textSafety (app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const found: string[] = []
    unsafePaths(request.params, '/params', found)
    unsafePaths(request.query, '/querystring', found)
    unsafePaths(request.body, '/body', found)
    if (found.length > 0) {
      const errors = found.map((path) => ({ path, message: 'contains a NUL character or an unpaired surrogate' }))
      throw new Problem('validation', errors.map((e) => `${e.path} ${e.message}`).join('; '), { errors })
    }
  })
}, { name: 'text-safety' })
