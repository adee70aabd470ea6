// autocannon 9 ships no types and there is no @types package for it: the part the bench uses,
// as its README documents it.
declare module 'autocannon' {
  interface Request {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
    setupRequest?: (req: Request) => Request
    onResponse?: (status: number, body: string) => void
  }
  interface Options {
    url: string
    connections?: number
    duration?: number
    maxOverallRequests?: number
    timeout?: number
    requests?: Request[]
  }
  interface Histogram { average: number, p50: number, p99: number }
  interface Result {
    duration: number
    '1xx': number
    '2xx': number
    '3xx': number
    '4xx': number
    '5xx': number
    non2xx: number
    errors: number
    timeouts: number
    latency: Histogram
    statusCodeStats: Record<string, { count: number }>
  }
  function autocannon (options: Options): Promise<Result>
  export default autocannon
  export type { Options, Request, Result }
}
