// Ceiling for POST /v1/plans: pgbench doing one-row INSERT transactions at the same concurrency.
// pgbench does not ship in npm: BENCH_PG_BIN's, else the one on PATH (Debian's postgresql-client).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { onCleanup } from './cleanup.js'
import { execute, PG_BIN } from './database.js'
import { run } from './proc.js'

const SCRIPT = `\\set k random(1, 1000000000)
INSERT INTO bench_ceiling (tenant_id, k, body) VALUES ('00000000-0000-0000-0000-000000000000', :k, repeat('x', 200));
`

export interface PgbenchResult { tps: number, latency: number, failed: number, transactions: number }

export async function pgbenchInsert (url: string, { clients, seconds }: { clients: number, seconds: number }): Promise<PgbenchResult> {
  await execute(url, 'DROP TABLE IF EXISTS bench_ceiling; CREATE TABLE bench_ceiling (id bigserial PRIMARY KEY, tenant_id uuid NOT NULL, k bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), body text NOT NULL)')
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-pgbench-'))
  onCleanup(async () => { await rm(dir, { recursive: true, force: true }) })
  const script = path.join(dir, 'insert.sql')
  await writeFile(script, SCRIPT)
  try {
    // -M extended: node-pg also uses the extended protocol with unnamed statements
    const out = await run(PG_BIN === undefined ? 'pgbench' : path.join(PG_BIN, 'pgbench'), [
      '-n', '-M', 'extended', '-c', String(clients), '-j', '2', '-T', String(Math.max(1, Math.round(seconds))), '-f', script, url
    ])
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1])
    const latency = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1])
    const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0)
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1])
    return { tps, latency, failed, transactions }
  } finally {
    await execute(url, 'DROP TABLE IF EXISTS bench_ceiling').catch(() => {})
  }
}
