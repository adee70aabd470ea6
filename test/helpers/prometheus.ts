import { spawnSync } from 'node:child_process'

export interface Sample { name: string, labels: Record<string, string>, value: number }
export interface Family { name: string, type: string, samples: Sample[] }

// The Prometheus project's own parser (client_python's text_string_to_metric_families, Debian's
// python3-prometheus-client, installed by .ci/run). The npm parsers on offer flatten labelled
// histograms into one, losing their labels, counts and sums.
const PARSE = `
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
out = [{"name": f.name, "type": f.type, "samples": [{"name": s.name, "labels": s.labels, "value": None if math.isnan(s.value) else s.value if math.isfinite(s.value) else str(s.value)} for s in f.samples]} for f in text_string_to_metric_families(sys.stdin.read())]
json.dump(out, sys.stdout)
`

export const PYTHON = '/usr/bin/python3'

/** Parses Prometheus text exposition; throws when the text is not valid exposition. */
export function parsePrometheus (text: string): Family[] {
  const result = spawnSync(PYTHON, ['-c', PARSE], { input: text, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`not Prometheus text format: ${result.stderr}`)
  return JSON.parse(result.stdout) as Family[]
}

/** The samples named `name` whose labels include `labels`. */
export function samples (families: Family[], name: string, labels: Record<string, string> = {}): Sample[] {
  return families.flatMap((f) => f.samples).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
}
