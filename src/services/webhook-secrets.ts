import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'

// Standard Webhooks secrets and signatures (https://www.standardwebhooks.com/): the secret is
// "whsec_" + base64 of random bytes, and the HMAC key is those bytes, not the text.
const PREFIX = 'whsec_'
const SECRET_BYTES = 32

export function generateSecret (): string {
  return PREFIX + randomBytes(SECRET_BYTES).toString('base64')
}

function secretKey (secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64')
}

/** `v1,` + base64 HMAC-SHA256 of "id.timestamp.body" under the secret's bytes. */
export function sign (secret: string, id: string, timestamp: number, body: string): string {
  return 'v1,' + createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')
}

/** The webhook-signature header: one signature per secret, space-separated (during a rotation, two). */
export function signatureHeader (secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets.map((s) => sign(s, id, timestamp, body)).join(' ')
}

/** Encrypts secrets at rest with AES-256-GCM: nonce (12 bytes) ‖ tag (16) ‖ ciphertext. */
export class SecretBox {
  private readonly key: Buffer

  constructor (base64Key: string) {
    this.key = Buffer.from(base64Key, 'base64')
    if (this.key.length !== 32) throw new Error('WEBHOOK_ENCRYPTION_KEY must be base64 of 32 bytes')
  }

  seal (secret: string): Buffer {
    const nonce = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce)
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
    return Buffer.concat([nonce, cipher.getAuthTag(), sealed])
  }

  open (box: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, box.subarray(0, 12))
    decipher.setAuthTag(box.subarray(12, 28))
    return Buffer.concat([decipher.update(box.subarray(28)), decipher.final()]).toString('utf8')
  }
}
