import t from 'tap'
import { HELMET_OPTIONS, helmetHeaders } from '../../../src/http/plugins/security-headers.js'

t.test('the recorded headers are what helmet sets, X-Powered-By removal included', async (t) => {
  const headers = helmetHeaders(HELMET_OPTIONS)
  t.equal(headers['x-frame-options'], 'DENY')
  t.equal(headers['x-content-type-options'], 'nosniff')
  t.notOk('cross-origin-embedder-policy' in headers)
  t.notOk('x-powered-by' in headers)
  t.notOk('x-frame-options' in helmetHeaders({ frameguard: false }), 'options are honoured')
})

t.test('bad options fail at start-up, not per request', async (t) => {
  t.throws(() => helmetHeaders({ referrerPolicy: { policy: 'bogus' as never } }), /unexpected policy token/)
})
