// CPU time per request, by process (Linux /proc). Requests per second on a shared machine swing
// with the neighbours' load; the CPU each request costs the server, PostgreSQL and the load
// generator swings far less, and their sum says what two cores can carry at best.
import { readFileSync, readdirSync } from 'node:fs'
import os from 'node:os'

const TICK_MS = 10 // USER_HZ is 100 on Linux (getconf CLK_TCK)

interface Stat { ppid: number, own: number, reaped: number }

// utime, stime, cutime, cstime (ticks) and ppid from /proc/<pid>/stat; the command name may
// hold spaces and parentheses, so fields are counted from the last ')'.
function stat (pid: number | string): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number)
    const field = (i: number) => f[i] ?? 0
    return { ppid: field(1), own: field(11) + field(12), reaped: field(13) + field(14) }
  } catch {
    return undefined
  }
}

/** CPU milliseconds one process has used so far (undefined once it is gone). */
export function processCpuMs (pid: number): number | undefined {
  const s = stat(pid)
  return s === undefined ? undefined : s.own * TICK_MS
}

/**
 * CPU milliseconds of a process and all its children, live or exited (an exited child's time
 * moves into its parent's reaped total, so the sum does not drop when a backend quits).
 */
export function treeCpuMs (rootPid: number): number | undefined {
  const root = stat(rootPid)
  if (root === undefined) return undefined
  let ticks = root.own + root.reaped
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) > 57) continue
    const s = stat(name)
    if (s !== undefined && s.ppid === rootPid) ticks += s.own
  }
  return ticks * TICK_MS
}

/** CPU milliseconds of a process's exited, reaped children (pgbench after it ran). */
export function reapedCpuMs (pid: number): number | undefined {
  const s = stat(pid)
  return s === undefined ? undefined : s.reaped * TICK_MS
}

// Busy and total CPU milliseconds of the whole machine since boot, from /proc/stat.
function machineMs (): { busy: number, total: number } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number)
  const idle = (f[3] ?? 0) + (f[4] ?? 0)
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0)
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS }
}

/** Reads one part's CPU milliseconds so far; undefined when it cannot be read. */
export type CpuReader = () => number | undefined

export interface CpuReading {
  /** µs of CPU per request, by part. */
  perRequest: Record<string, number>
  machineBusy: number
  cores: number
}

/**
 * Starts a CPU meter over the named parts ({ server: () => ms, postgres: () => ms }); the load
 * generator (this process, where autocannon runs) and the machine as a whole are always read.
 * stop(requests) gives µs of CPU per request for each part and the machine's busy share.
 */
export function cpuMeter (parts: Record<string, CpuReader>): { stop: (requests: number) => CpuReading } {
  const read = () => {
    const usage = process.cpuUsage()
    const out: Record<string, number | undefined> = { loadgen: (usage.user + usage.system) / 1000 }
    for (const [name, fn] of Object.entries(parts)) out[name] = fn()
    return out
  }
  const start = read()
  const m0 = machineMs()
  return {
    stop (requests) {
      const end = read()
      const m1 = machineMs()
      const perRequest: Record<string, number> = {}
      for (const [name, to] of Object.entries(end)) {
        const from = start[name]
        if (to !== undefined && from !== undefined && requests > 0) perRequest[name] = (to - from) * 1000 / requests
      }
      return { perRequest, machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total), cores: os.cpus().length }
    }
  }
}
