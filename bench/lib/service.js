// The compiled service as a child process, plus the CLI steps that prepare its database.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { onCleanup } from './cleanup.js'
import { freePort, run, sleep, stopChild } from './proc.js'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const node = process.execPath

export async function prepareDatabase (url, tenantName) {
  await run(node, ['dist/cli/migrate.js'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } })
  const out = await run(node, ['dist/cli/tenants.js', 'create', tenantName], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } })
  const line = out.trim().split('\n').find((l) => l.startsWith('{'))
  return JSON.parse(line)
}

// Capacity, not the per-tenant limiter, is what the bench measures: one tenant sends everything.
const LIMITS = { RATE_LIMIT_PER_MINUTE: '100000000' }

// Starts `node dist/server.js`; extra node flags (e.g. --cpu-prof) via BENCH_SERVER_NODE_OPTIONS.
export async function startService (url, env = {}) {
  const port = await freePort()
  const flags = (process.env.BENCH_SERVER_NODE_OPTIONS ?? '').split(' ').filter(Boolean)
  const child = spawn(node, [...flags, 'dist/server.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'pipe'],
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...LIMITS, ...env }
  })
  let stderr = ''
  child.stderr.on('data', (d) => { stderr += d; process.stderr.write(d) })
  onCleanup(() => stopChild(child))
  const base = `http://127.0.0.1:${port}`
  await waitReady(base, child, () => stderr)
  return { child, base, pid: child.pid, stop: () => stopChild(child, 15000) }
}

export async function waitReady (base, child, stderr = () => '') {
  const until = Date.now() + 30000
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr()}`)
    try {
      const res = await fetch(`${base}/health/ready`)
      if (res.ok) return
    } catch {}
    await sleep(100)
  }
  throw new Error(`server at ${base} not ready after 30 s`)
}
