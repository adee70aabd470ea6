import { lookup as dnsLookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { hostOf, isPrivateAddress } from './webhook-addresses.js'

/** A receiver's answer is read up to this much, then discarded: never stored, never logged. */
const MAX_RESPONSE_BYTES = 64 * 1024

export interface SendResult {
  /** The HTTP status, or null when none came (refused address, connection error, timeout). */
  status: number | null
  /** Why no status came, in a few words fit for the deliveries listing (no receiver content). */
  error: string | null
  durationMs: number
}

export interface SenderOptions { timeoutMs: number, allowPrivateNetworks: boolean }

/** A refusal or failure before any answer: its message is what the deliveries listing shows. */
class SendFailure extends Error {}

/**
 * POSTs webhook bodies. The host is resolved here and checked against the private ranges, and the
 * connection goes to the very address checked (a fixed `lookup`), so a DNS answer that changes
 * between check and connect (rebinding) cannot reach a private address. Redirects are not
 * followed: a 3xx is an answer like any other non-2xx.
 */
export class WebhookSender {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 })
  }

  constructor (private readonly options: SenderOptions) {}

  async post (target: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now()
    const finish = (status: number | null, error: string | null): SendResult => ({ status, error, durationMs: Math.round(performance.now() - started) })
    const url = new URL(target)
    const controller = new AbortController()
    const timer = setTimeout(() => { controller.abort() }, this.options.timeoutMs)
    try {
      const address = await this.checkedAddress(hostOf(url), controller.signal)
      const status = await this.request(url, address, headers, body, controller.signal)
      return finish(status, null)
    } catch (err) {
      if (controller.signal.aborted) return finish(null, `no answer within ${this.options.timeoutMs} ms`)
      if (err instanceof SendFailure) return finish(null, err.message)
      const code = (err as { code?: unknown }).code
      return finish(null, `connection failed${typeof code === 'string' ? ` (${code})` : ''}`)
    } finally {
      clearTimeout(timer)
    }
  }

  close (): void {
    this.agents['http:'].destroy()
    this.agents['https:'].destroy()
  }

  private async checkedAddress (host: string, signal: AbortSignal): Promise<{ address: string, family: number }> {
    const family = isIP(host)
    const addresses = family !== 0
      ? [{ address: host, family }]
      : await Promise.race([
        dnsLookup(host, { all: true }),
        new Promise<never>((_resolve, reject) => { signal.addEventListener('abort', () => { reject(new Error('aborted')) }, { once: true }) })
      ]).catch((err: unknown) => {
        if (signal.aborted) throw err
        throw new SendFailure(`cannot resolve the host (${(err as { code?: string }).code ?? 'error'})`)
      })
    // Any private answer refuses the host: a name that mixes public and private addresses is not trusted.
    if (!this.options.allowPrivateNetworks && addresses.some((a) => isPrivateAddress(a.address))) {
      throw new SendFailure('the host resolves to a private, loopback, link-local or metadata address')
    }
    const first = addresses[0]
    if (first === undefined) throw new SendFailure('the host has no address')
    return first
  }

  private async request (url: URL, to: { address: string, family: number }, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<number> {
    const protocol = url.protocol === 'https:' ? 'https:' : 'http:'
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all === true) (callback as unknown as (e: null, a: Array<{ address: string, family: number }>) => void)(null, [to])
      else callback(null, to.address, to.family)
    }
    return await new Promise<number>((resolve, reject) => {
      const req = (protocol === 'https:' ? https : http).request({
        protocol,
        hostname: hostOf(url),
        port: url.port === '' ? undefined : Number(url.port),
        path: url.pathname + url.search,
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: this.agents[protocol],
        lookup,
        signal
      }, (res) => {
        let read = 0
        const done = (): void => { resolve(res.statusCode ?? 0) }
        res.on('data', (chunk: Buffer) => {
          read += chunk.length
          // Enough has been read to free the connection's buffers; the rest is not wanted.
          if (read > MAX_RESPONSE_BYTES) { res.destroy(); done() }
        })
        res.on('end', done)
        res.on('error', () => { done() })
      })
      req.on('error', reject)
      req.end(body)
    })
  }
}
