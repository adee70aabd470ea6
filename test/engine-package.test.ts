// The engine as a library: pack the project as npm would publish it, install the tarball into a
// fresh project, and use it only through the package's `exports` map (`repayment-plan-service/engine`),
// from JavaScript and from TypeScript against the emitted declarations. Relies on dist/ from
// `npm test`'s pretest build.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { repoRoot } from './helpers/process.js'

const run = promisify(execFile)
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

interface LockEntry { dev?: boolean, devOptional?: boolean, [key: string]: unknown }

t.test('npm pack → npm install → import { computeQuote } from "repayment-plan-service/engine"', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'engine-package-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const npm = async (args: string[], cwd: string) => await run('npm', args, { cwd, timeout: 120_000, maxBuffer: 16 << 20 })

  const packed = JSON.parse((await npm(['pack', '--json', '--pack-destination', dir], repoRoot)).stdout) as Array<{ filename: string, files: Array<{ path: string }> }>
  const { filename, files } = packed[0]!
  const paths = files.map((f) => f.path)
  t.ok(paths.includes('dist/domain/index.js') && paths.includes('dist/domain/index.d.ts'), 'the tarball holds the engine and its declarations')
  t.same(paths.filter((p) => !p.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(p)), [], 'and nothing outside dist/ but package.json, the README and the LICENSE')
  t.notOk(paths.some((p) => p.endsWith('.map')), 'no source maps (their sources are not shipped)')

  // Offline, from the npm cache: the cache holds the tarballs the repo's own install fetched but
  // not the registry metadata a lockless install resolves against, so the project gets a lockfile
  // of the tarball plus the repo's locked non-dev tree. Optional packages (embedded PostgreSQL)
  // are left out, as a library user would.
  const project = path.join(dir, 'project')
  const tarball = `file:../${filename}`
  const self = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string, dependencies: object, optionalDependencies: object }
  const repoLock = JSON.parse(await readFile(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }
  const packages: Record<string, unknown> = {
    '': { name: 'engine-user', dependencies: { 'repayment-plan-service': tarball } },
    'node_modules/repayment-plan-service': { version: self.version, resolved: tarball, dependencies: self.dependencies, optionalDependencies: self.optionalDependencies }
  }
  for (const [key, entry] of Object.entries(repoLock.packages)) {
    if (key !== '' && entry.dev !== true && entry.devOptional !== true) packages[key] = entry
  }
  await run('mkdir', [project])
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'engine-user', private: true, type: 'module', dependencies: { 'repayment-plan-service': tarball } }))
  await writeFile(path.join(project, 'package-lock.json'), JSON.stringify({ name: 'engine-user', lockfileVersion: 3, requires: true, packages }))
  await npm(['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=optional', '--loglevel=error'], project)

  await writeFile(path.join(project, 'quote.mjs'), `
import { computeQuote, standardPolicy } from 'repayment-plan-service/engine'
const quote = computeQuote({ asOf: '2026-01-15', loan: { loanId: 'L-1', balance: '12000.00', overdueDays: 45 }, borrower: { monthlyIncome: '8000.00' } }, standardPolicy)
process.stdout.write(JSON.stringify(quote))
`)
  await writeFile(path.join(project, 'typed.ts'), `
import { computeQuote, standardPolicy, type QuoteComputation, type QuoteInputError } from 'repayment-plan-service/engine'
const quote: QuoteComputation | QuoteInputError = computeQuote({ asOf: '2026-01-15', loan: { loanId: 'L-1', balance: '12000.00', overdueDays: 45 }, borrower: { monthlyIncome: '8000.00' } }, standardPolicy)
export const count: number = 'errors' in quote ? 0 : quote.options.length
// @ts-expect-error the declarations are real types, not any: a balance is a decimal string
computeQuote({ asOf: '2026-01-15', loan: { loanId: 'L-1', balance: 12000, overdueDays: 45 }, borrower: { monthlyIncome: '8000.00' } }, standardPolicy)
`)
  await writeFile(path.join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] },
    files: ['typed.ts']
  }))

  const [js, ts] = await Promise.allSettled([
    run(process.execPath, ['quote.mjs'], { cwd: project, timeout: 30_000 }),
    run(process.execPath, [tsc, '-p', '.'], { cwd: project, timeout: 60_000 })
  ])
  t.equal(js.status, 'fulfilled', js.status === 'rejected' ? String(js.reason) : 'the engine runs from the installed package')
  if (js.status === 'fulfilled') {
    const quote = JSON.parse(js.value.stdout) as { loan: { loanId: string, currency: string }, options: Array<{ id: string }> }
    t.match(quote.loan, { loanId: 'L-1', currency: 'CNY' })
    t.ok(quote.options.some((o) => o.id === 'settlement'), 'a quote with its options')
  }
  t.equal(ts.status, 'fulfilled', ts.status === 'rejected' ? String((ts.reason as { stdout?: string }).stdout ?? ts.reason) : 'TypeScript type-checks against the declarations')
})
