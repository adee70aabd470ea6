import { BlockList, isIP } from 'node:net'

// Where webhooks may not go unless WEBHOOK_ALLOW_PRIVATE_NETWORKS: the service's own network,
// loopback, link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254 included), CGNAT,
// ULA, multicast and reserved ranges. IPv4-mapped and NAT64 IPv6 forms are refused whole.
// (An IPv4 address is also checked against the IPv6 rules as ::ffff:a.b.c.d, so that range is tested apart.)
const blocked = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4]
] as const) blocked.addSubnet(net, bits, 'ipv4')
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8]
] as const) blocked.addSubnet(net, bits, 'ipv6')

/** True when the literal address is in a range webhooks may not reach. */
export function isPrivateAddress (address: string): boolean {
  const family = isIP(address)
  if (family === 0) return true
  if (family === 6 && /^::ffff:/i.test(address)) return true
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

export interface UrlRules { allowHttp: boolean, allowPrivateNetworks: boolean }

export const MAX_URL_LENGTH = 2048

/** Why the endpoint URL is refused, or undefined when it is acceptable. */
export function urlProblem (text: string, rules: UrlRules): string | undefined {
  if (text.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`
  let url: URL
  try { url = new URL(text) } catch { return 'is not an absolute URL' }
  if (url.protocol !== 'https:' && !(rules.allowHttp && url.protocol === 'http:')) return rules.allowHttp ? 'must be http:// or https://' : 'must be https://'
  if (url.username !== '' || url.password !== '') return 'must not contain credentials (user:password@)'
  if (url.hash !== '') return 'must not contain a fragment'
  const host = hostOf(url)
  if (host === '') return 'must name a host'
  if (!rules.allowPrivateNetworks) {
    if (isIP(host) !== 0 && isPrivateAddress(host)) return 'must not point to a private, loopback, link-local or metadata address'
    if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point to a private, loopback, link-local or metadata address'
  }
  return undefined
}

/** The URL's host as an address or name, without IPv6 brackets. */
export function hostOf (url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1')
}
