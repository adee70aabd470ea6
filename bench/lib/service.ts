// The compiled service (dist/) as a child process, plus the CLI steps that prepare its database.
import { spawn, type ChildProcess } from 'node:child_process'
import { freePort } from '../../test/helpers/ports.js'
import { onCleanup } from './cleanup.js'
import { pidOf, run, sleep, stopChild } from './proc.js'
import { ROOT } from './root.js'

const node = process.execPath

export interface Tenant { tenantId: string, apiKey: string }

export async function prepareDatabase (url: string, tenantName: string): Promise<Tenant> {
  await run(node, ['dist/cli/migrate.js'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } })
  const out = await run(node, ['dist/cli/tenants.js', 'create', tenantName], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } })
  const line = out.trim().split('\n').find((l) => l.startsWith('{'))
  const tenant: unknown = line === undefined ? undefined : JSON.parse(line)
  if (typeof tenant !== 'object' || tenant === null || !('tenantId' in tenant) || !('apiKey' in tenant) ||
    typeof tenant.tenantId !== 'string' || typeof tenant.apiKey !== 'string') throw new Error(`tenants create printed no tenant: ${out}`)
  return { tenantId: tenant.tenantId, apiKey: tenant.apiKey }
}

// Capacity, not the per-tenant limiters, is what the bench measures: one tenant sends everything,
// and bench:scale stores millions of rows for it (the storage quota counts them).
const LIMITS = { RATE_LIMIT_PER_MINUTE: '100000000', TENANT_STORAGE_QUOTA_ROWS: '0' }

export interface Service { child: ChildProcess, base: string, pid: number, stop: () => Promise<void> }

// Starts `node dist/server.js`; extra node flags (e.g. --cpu-prof) via BENCH_SERVER_NODE_OPTIONS.
export async function startService (url: string, env: Record<string, string> = {}): Promise<Service> {
  const port = await freePort()
  const flags = (process.env.BENCH_SERVER_NODE_OPTIONS ?? '').split(' ').filter(Boolean)
  const child = spawn(node, [...flags, 'dist/server.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'pipe'],
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...LIMITS, ...env }
  })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); process.stderr.write(d) })
  onCleanup(async () => { await stopChild(child) })
  const base = `http://127.0.0.1:${port}`
  await waitReady(base, child, () => stderr)
  return { child, base, pid: pidOf(child), stop: async () => { await stopChild(child, 15000) } }
}

async function waitReady (base: string, child: ChildProcess, stderr: () => string): Promise<void> {
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
