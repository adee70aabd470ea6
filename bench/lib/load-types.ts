// What both load generators (autocannon's closed loop, paced.ts's open loop) take and report.

/** One request's varying parts; the rest comes from the load's fixed url, method and headers. */
export interface RequestParts { path?: string, body?: string, headers?: Record<string, string> }

export interface LoadOptions {
  url: string
  connections: number
  seconds: number
  /** A cap on requests on top of the duration. */
  max?: number
  /** Requests per second, paced evenly (open loop); without it, as fast as answers come back. */
  rate?: number
  method?: string
  headers?: Record<string, string>
  next: () => RequestParts
  /** Each answer's status and body; only when asked, since reading bodies costs the generator CPU. */
  onBody?: (status: number, body: string) => void
}

export interface LoadResult {
  rps: number
  /** Requests answered (any status). */
  completed: number
  ok: number
  /** Latencies in ms. */
  mean: number
  p50: number
  p99: number
  /** Transport errors and timeouts. */
  errors: number
  non2xx: number
  seconds: number
  statusCounts: Record<string, unknown>
}
