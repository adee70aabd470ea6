// `name value unit` lines as they happen, and a summary table at the end.
interface Row { name: string, value: number, unit: string }
interface Verdict extends Row { bound: number, ok: boolean, op: '>=' | '<=' }
const rows: Row[] = []
const verdicts: Verdict[] = []

const fmt = (v: number) => Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 3)

export function metric (name: string, value: number, unit: string): void {
  rows.push({ name, value, unit })
  console.log(`${name} ${fmt(value)} ${unit}`)
}

// op '>=' (a floor) or '<=' (a ceiling)
export function target (name: string, value: number, bound: number, unit: string, op: '>=' | '<=' = '>='): void {
  const ok = op === '>=' ? value >= bound : value <= bound
  verdicts.push({ name, value, bound, unit, ok, op })
  console.log(`${ok ? 'PASS' : 'MISS'} ${name} ${fmt(value)} ${unit} (target ${op} ${bound})`)
}

export function fail (message: string): void {
  console.log(`!!!!!!!! FAIL: ${message} !!!!!!!!`)
}

export function summary (title: string): void {
  const width = Math.max(...rows.map((r) => r.name.length), 10)
  console.log(`\n== ${title} ==`)
  console.log(`${'metric'.padEnd(width)}  ${'value'.padStart(10)}  unit`)
  for (const r of rows) console.log(`${r.name.padEnd(width)}  ${fmt(r.value).padStart(10)}  ${r.unit}`)
  if (verdicts.length > 0) {
    console.log('')
    for (const v of verdicts) console.log(`${(v.ok ? 'PASS' : 'MISS').padEnd(4)}  ${v.name.padEnd(width)}  ${fmt(v.value).padStart(10)}  target ${v.op} ${v.bound} ${v.unit}`)
  }
}
