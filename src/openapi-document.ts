import Fastify from 'fastify'
import api from './http/api.js'
import { loadConfig } from './config.js'
import { serverOptions } from './http/server-options.js'

/** The OpenAPI document the routes produce: the API's contract alone, no database. */
export async function openapiDocument (): Promise<string> {
  const config = loadConfig({})
  const app = Fastify(serverOptions(config, false))
  app.decorate('config', config)
  await app.register(api)
  try {
    await app.ready()
    return JSON.stringify(app.swagger(), null, 2) + '\n'
  } finally {
    await app.close()
  }
}
