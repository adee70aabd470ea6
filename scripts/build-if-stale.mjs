#!/usr/bin/env node
// Builds dist/ only when it is missing or older than a source: `npm start`, `npm run tenants`
// and `npm run migrate` then start in well under a second when nothing changed, and a fresh clone
// is built once (by `prepare` during `npm ci`). Reports on stderr so a CLI's stdout stays JSON.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const output = path.join(root, 'dist/server.js')
// tsc rewrites every output file on a build, so dist/server.js dates the whole of dist/.
const inputs = ['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => path.join(root, f))

function newestUnder (dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(full) : statSync(full).mtimeMs)
  }
  return newest
}

export function isStale () {
  if (!existsSync(output)) return true
  const built = statSync(output).mtimeMs
  const newest = Math.max(newestUnder(path.join(root, 'src')), ...inputs.map((f) => statSync(f).mtimeMs))
  return newest > built
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!isStale()) process.exit(0)
  let tsc
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  } catch {
    // An install without devDependencies (the image builds in its own stage): nothing to build with.
    process.stderr.write('build-if-stale: typescript is not installed; dist/ was not rebuilt\n')
    process.exit(existsSync(output) ? 0 : 1)
  }
  process.stderr.write('building dist/ (sources changed since the last build)\n')
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] })
  process.exit(result.status ?? 1)
}
