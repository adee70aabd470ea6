// CPU time per request, by process (Linux /proc). Requests per second on a shared machine swing
// with the neighbours' load; the CPU each request costs the server, PostgreSQL and the load
// generator swings far less, and their sum says what two cores can carry at best.
import { readFileSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const TICK_MS = 10 // USER_HZ is 100 on Linux (getconf CLK_TCK)

// utime, stime, cutime, cstime (ticks) and ppid from /proc/<pid>/stat; the command name may
// hold spaces and parentheses, so fields are counted from the last ')'.
function stat (pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) }
  } catch {
    return undefined
  }
}

/** CPU milliseconds one process has used so far (undefined once it is gone). */
export function processCpuMs (pid) {
  const s = stat(pid)
  return s === undefined ? undefined : s.own * TICK_MS
}

/**
 * CPU milliseconds of a process and all its children, live or exited (an exited child's time
 * moves into its parent's reaped total, so the sum does not drop when a backend quits).
 */
export function treeCpuMs (rootPid) {
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
export function reapedCpuMs (pid) {
  const s = stat(pid)
  return s === undefined ? undefined : s.reaped * TICK_MS
}

/** The postmaster's pid, first line of postmaster.pid in the data directory. */
export function postmasterPid (dataDir) {
  return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
}

// Busy and total CPU milliseconds of the whole machine since boot, from /proc/stat.
function machineMs () {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  const idle = (f[3] ?? 0) + (f[4] ?? 0)
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0)
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS }
}

/**
 * Starts a CPU meter over the named parts ({ server: () => ms, postgres: () => ms }); the load
 * generator (this process, where autocannon runs) and the machine as a whole are always read.
 * stop(requests) gives µs of CPU per request for each part and the machine's busy share.
 */
export function cpuMeter (parts) {
  const read = () => {
    const usage = process.cpuUsage()
    const out = { loadgen: (usage.user + usage.system) / 1000 }
    for (const [name, fn] of Object.entries(parts)) out[name] = fn()
    return out
  }
  const start = read()
  const m0 = machineMs()
  return {
    stop (requests) {
      const end = read()
      const m1 = machineMs()
      const perRequest = {}
      for (const name of Object.keys(end)) {
        if (end[name] !== undefined && start[name] !== undefined && requests > 0) perRequest[name] = (end[name] - start[name]) * 1000 / requests
      }
      return { perRequest, machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total), cores: os.cpus().length }
    }
  }
}
