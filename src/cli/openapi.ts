import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { openapiDocument } from '../openapi-document.js'

// `npm run openapi` rewrites the committed document; a test fails when it drifts from the routes.
const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../openapi/openapi.json')
await mkdir(path.dirname(target), { recursive: true })
await writeFile(target, await openapiDocument())
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`)
