import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { freePort } from '../helpers/ports.js'
import { WebhookSender } from '../../src/services/webhook-sender.js'

async function server (t: { teardown: (fn: () => unknown) => void }, handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler)
  await new Promise<void>((resolve) => { s.listen(0, '127.0.0.1', resolve) })
  t.teardown(async () => { s.closeAllConnections(); await new Promise((resolve) => { s.close(resolve) }) })
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`
}

t.test('redirects are not followed: a 3xx is the answer', async (t) => {
  let followed = false
  const base = await server(t, (req, res) => {
    if (req.url === '/elsewhere') followed = true
    res.writeHead(302, { location: '/elsewhere' }).end()
  })
  const sender = new WebhookSender({ timeoutMs: 2000, allowPrivateNetworks: true })
  t.teardown(() => { sender.close() })
  t.match(await sender.post(`${base}/hooks`, {}, '{}'), { status: 302, error: null })
  t.notOk(followed)
})

t.test('a large answer is read up to 64 KB and dropped; the status counts', async (t) => {
  const base = await server(t, (_req, res) => { res.writeHead(200); res.end(Buffer.alloc(1024 * 1024, 'x')) })
  const sender = new WebhookSender({ timeoutMs: 2000, allowPrivateNetworks: true })
  t.teardown(() => { sender.close() })
  t.match(await sender.post(`${base}/hooks`, {}, '{}'), { status: 200, error: null })
})

t.test('connection errors and unresolvable hosts are failures without a status', async (t) => {
  const sender = new WebhookSender({ timeoutMs: 2000, allowPrivateNetworks: true })
  t.teardown(() => { sender.close() })
  t.match(await sender.post(`http://127.0.0.1:${await freePort()}/hooks`, {}, '{}'), { status: null, error: /connection failed \(ECONNREFUSED\)/ })
  t.match(await sender.post('http://no-such-host.invalid/hooks', {}, '{}'), { status: null, error: /cannot resolve the host|no answer within/ })
})

t.test('a literal private address is refused at send time unless allowed', async (t) => {
  const sender = new WebhookSender({ timeoutMs: 2000, allowPrivateNetworks: false })
  t.teardown(() => { sender.close() })
  t.match(await sender.post('http://169.254.169.254/latest/meta-data', {}, '{}'), { status: null, error: /private, loopback, link-local or metadata/ })
  t.match(await sender.post('http://[::1]:9/hooks', {}, '{}'), { status: null, error: /private/ })
})
