import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { readFile } from 'node:fs/promises'

// Runs a command to completion; rejects with its output on a non-zero exit.
export async function run (cmd: string, args: string[], opts: SpawnOptions = {}): Promise<string> {
  return await new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout?.on('data', (d: Buffer) => { out += d.toString() })
    child.stderr?.on('data', (d: Buffer) => { err += d.toString() })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(out)
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${(err || out).trim().slice(-2000)}`))
    })
  })
}

export const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

// Resident set size of a live process in MiB (Linux); NaN once it is gone.
export async function rssMiB (pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1])
    return Math.round(kb / 1024 * 10) / 10
  } catch {
    return NaN
  }
}

// Sends SIGTERM, then SIGKILL if the child ignores it; resolves once it is gone.
export async function stopChild (child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => { clearTimeout(timer); resolve() })
    child.kill('SIGTERM')
  })
}

/** The pid of a spawned child; spawn leaves it undefined only when the spawn itself failed. */
export function pidOf (child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('child process did not start')
  return child.pid
}
