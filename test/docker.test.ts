import { readFile } from 'node:fs/promises'
import t from 'tap'

const read = async (file: string): Promise<string> => await readFile(new URL(`../${file}`, import.meta.url), 'utf8')

t.test('the image runs in production mode', async (t) => {
  const dockerfile = await read('Dockerfile')
  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'))
  t.match(runtime, /^ENV .*\bNODE_ENV=production\b/m, 'the runtime stage sets NODE_ENV=production')
})

t.test('compose builds one image, used by migrate and api', async (t) => {
  const compose = await read('docker-compose.yml')
  // Each service's block: from its two-space-indented name to the next one.
  const services = Object.fromEntries([...compose.matchAll(/^ {2}([a-z]+):\n((?: {4}.*\n|\s*\n)*)/gm)].map((m) => [m[1], m[2]]))
  t.same(Object.keys(services).filter((name) => /^ {4}build:/m.test(services[name]!)), ['api'], 'only api builds')
  for (const name of ['migrate', 'api']) t.match(services[name], /^ {4}image: repayment-plans:local$/m, `${name} runs repayment-plans:local`)
  t.match(services.migrate, /^ {4}pull_policy: never$/m, 'migrate never tries to pull the local image')
})
