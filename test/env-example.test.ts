import { readFile } from 'node:fs/promises'
import t from 'tap'
import { ConfigSchema } from '../src/config.js'

const read = async (file: string): Promise<string> => await readFile(new URL(`../${file}`, import.meta.url), 'utf8')

t.test('.env.example lists exactly the config schema\'s settings, each with its default and a meaning', async (t) => {
  const lines = (await read('.env.example')).split('\n')
  const settings = new Map<string, string>()
  lines.forEach((line, i) => {
    const m = /^#?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line)
    if (m === null) return
    t.notOk(settings.has(m[1]!), `${m[1]} is listed once`)
    settings.set(m[1]!, m[2]!)
    t.match(lines[i - 1], /^# \S/, `${m[1]} has a line saying what it means`)
  })
  const properties = ConfigSchema.properties as Record<string, { default?: unknown }>
  t.same([...settings.keys()].sort(), Object.keys(properties).sort(), 'the same keys as src/config.ts')
  for (const [key, schema] of Object.entries(properties)) {
    t.equal(settings.get(key), schema.default === undefined ? '' : String(schema.default), `${key}'s default`)
  }
})

t.test('the README\'s configuration table lists the same settings', async (t) => {
  const readme = await read('README.md')
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5))
  const keys = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1])
  t.same(keys.sort(), Object.keys(ConfigSchema.properties).sort())
})
