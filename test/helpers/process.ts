import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { promisify } from 'node:util'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { TEST_ENV } from './env.js'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const run = promisify(execFile)

/** Runs a compiled entry point (dist/…) the way the Docker image does: plain `node`. */
export async function runNode (script: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(repoRoot, script), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: repoRoot, timeout: 60000 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number, stdout?: string, stderr?: string }
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

export interface ServerProcess {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
  baseUrl: string
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

export function startServer (port: number, env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/server.js')], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...TEST_ENV, ...env },
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | null>((resolve) => { child.on('exit', (code) => { resolve(code) }) })
  return {
    child,
    output: () => out,
    exited,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async (signal = 'SIGTERM') => { if (child.exitCode === null) child.kill(signal); return await exited }
  }
}

/** Polls until the URL answers `status`, or the process dies, or the time runs out. */
export async function waitFor (server: ServerProcess, urlPath: string, status = 200, timeoutMs = 60000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && server.child.exitCode === null) {
    try {
      const res = await fetch(server.baseUrl + urlPath)
      if (res.status === status) return true
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return false
}
