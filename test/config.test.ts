import t from 'tap'
import { loadConfig, ConfigError } from '../src/config.js'

t.test('defaults give a local service on the embedded database', async (t) => {
  const config = loadConfig({})
  t.equal(config.PORT, 3000)
  t.equal(config.HOST, '127.0.0.1')
  t.equal(config.DATABASE_URL, undefined)
  t.equal(config.DATA_DIR, './.data')
  t.equal(config.PG_CONNECTION_TIMEOUT_MS, 1000)
})

t.test('an empty variable counts as unset', async (t) => {
  t.equal(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT, 3000)
})

t.test('bad values fail with one line naming the variable', async (t) => {
  for (const [env, name] of [
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ BOOTSTRAP_API_KEY: 'short' }, 'BOOTSTRAP_API_KEY']
  ] as const) {
    try {
      loadConfig(env)
      t.fail(`${name} accepted`)
    } catch (err) {
      t.ok(err instanceof ConfigError, name)
      t.match((err as Error).message, name)
      t.notMatch((err as Error).message, /\n/, 'one line')
    }
  }
})
