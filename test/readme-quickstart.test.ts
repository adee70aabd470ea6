import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { testDatabase } from './helpers/database.js'
import { freePort } from './helpers/ports.js'
import { repoRoot, runNode, startServer, waitFor } from './helpers/process.js'

/** The README's quick-start block: the bash block after the `<!-- quickstart: … -->` marker. */
export function quickstartBlock (readme: string): string {
  const match = /<!-- quickstart:[^>]*-->\s*```bash\n([\s\S]*?)\n```/.exec(readme)
  if (match === null) throw new Error('README.md has no quickstart block')
  return match[1]!
}

/** The statuses the README promises, in order: each `# → NNN` line. */
export function promisedStatuses (block: string): number[] {
  return [...block.matchAll(/^# → (\d{3})\b/gm)].map((m) => Number(m[1]))
}

t.test('the README quick start runs as pasted and answers what it promises', async (t) => {
  const block = quickstartBlock(await readFile(path.join(repoRoot, 'README.md'), 'utf8'))
  const promised = promisedStatuses(block)
  t.ok(promised.length >= 7, `the block promises ${promised.length} statuses`)

  // A fresh database with the demo tenant, its key where `npm start` leaves it.
  const db = await testDatabase(t)
  const created = await runNode('dist/cli/tenants.js', ['create', 'demo'], { DATABASE_URL: db.url })
  t.equal(created.code, 0, created.stderr)
  const workDir = await mkdtemp(path.join(tmpdir(), 'rp-readme-'))
  t.teardown(async () => { await rm(workDir, { recursive: true, force: true }) })
  await mkdir(path.join(workDir, '.data'))
  await writeFile(path.join(workDir, '.data/demo-api-key'), JSON.parse(created.stdout).apiKey + '\n')

  const server = startServer(await freePort(), { DATABASE_URL: db.url })
  t.teardown(async () => { await server.stop('SIGKILL') })
  t.ok(await waitFor(server, '/health/ready'), server.output())

  // The block runs unchanged; curl is wrapped only to report each status on stderr.
  const script = `set -euo pipefail\ncurl () { command curl -w '%{stderr}HTTP %{http_code}\\n' "$@"; }\n${block}\n`
  const run = await new Promise<{ code: number | null, stdout: string, stderr: string }>((resolve) => {
    const child = spawn('bash', ['-c', script], { cwd: workDir, env: { PATH: process.env.PATH ?? '', HOME: workDir, API: server.baseUrl } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    child.on('close', (code) => { resolve({ code, stdout, stderr }) })
  })
  t.equal(run.code, 0, `the block exits 0\n${run.stderr}\n${run.stdout}`)
  const answered = [...run.stderr.matchAll(/^HTTP (\d{3})$/gm)].map((m) => Number(m[1]))
  t.same(answered, promised, 'each curl answers the status the README shows after it')
  t.match(run.stdout, /^quote [0-9a-f-]{36} recommends installment-annuity-24$/m)
  t.match(run.stdout, /^active installment-annuity-24: 24 payments of up to [\d.]+ CNY$/m)
  t.match(run.stdout, /^cancelled$/m)
})
