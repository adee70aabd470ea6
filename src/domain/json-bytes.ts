// A JSON writer straight into UTF-8 bytes, for the ~16 kB quote document: the service stores and
// sends bytes, so building a string of ~1,500 pieces, flattening it and encoding it twice (for
// PostgreSQL and for HTTP) is work this skips. Every write matches what
// JSON.stringify would write for the same value; anything unusual (a string needing escapes, a
// non-integer number) is handed to JSON.stringify itself.
import { formatScaled } from './decimal.js'

const encoder = new TextEncoder()
const LONG = 48
// Anything that is not printable ASCII, or is a quote or a backslash.
const NEEDS_ESCAPE = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/
const EXACT = 2 ** 53

export class JsonBytes {
  private buf: Uint8Array
  private pos = 0

  constructor (capacity = 32 * 1024) {
    this.buf = new Uint8Array(capacity)
  }

  /** Starts a new document, reusing the buffer. */
  reset (): this {
    this.pos = 0
    return this
  }

  /** Bytes written since reset. */
  get length (): number {
    return this.pos
  }

  /** A copy of the bytes written since reset. */
  bytes (): Uint8Array {
    return this.buf.slice(0, this.pos)
  }

  private room (n: number): Uint8Array {
    if (this.pos + n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n))
      bigger.set(this.buf.subarray(0, this.pos))
      this.buf = bigger
    }
    return this.buf
  }

  /** Text known to be printable ASCII with nothing to escape: keys, punctuation, dates, digits. */
  raw (s: string): this {
    const n = s.length
    const buf = this.room(n)
    let p = this.pos
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i)
    this.pos = p
    return this
  }

  /** A string literal. Printable ASCII without quotes or backslashes is copied; else JSON.stringify. */
  string (s: string): this {
    const n = s.length
    // Long text (an option's summary) is checked by one regex pass and copied by the native
    // encoder, twice as fast as a loop over char codes.
    if (n > LONG) {
      if (NEEDS_ESCAPE.test(s)) return this.escaped(s)
      const buf = this.room(n + 2)
      buf[this.pos++] = 34
      this.pos += encoder.encodeInto(s, buf.subarray(this.pos)).written
      buf[this.pos++] = 34
      return this
    }
    const buf = this.room(n + 2)
    let p = this.pos
    buf[p++] = 34
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i)
      if (c < 32 || c > 126 || c === 34 || c === 92) return this.escaped(s)
      buf[p++] = c
    }
    buf[p++] = 34
    this.pos = p
    return this
  }

  private escaped (s: string): this {
    const text = JSON.stringify(s)
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const buf = this.room(text.length * 3)
    this.pos += encoder.encodeInto(text, buf.subarray(this.pos)).written
    return this
  }

  nullableString (s: string | null): this {
    return s === null ? this.raw('null') : this.string(s)
  }

  /** A number as JSON.stringify writes it; safe integers are written digit by digit. */
  number (n: number): this {
    if (!Number.isSafeInteger(n)) return this.raw(JSON.stringify(n))
    return this.digits(n, 0)
  }

  nullableNumber (n: number | null): this {
    return n === null ? this.raw('null') : this.number(n)
  }

  boolean (b: boolean | null): this {
    return this.raw(b === null ? 'null' : b ? 'true' : 'false')
  }

  /** An amount of minor units as a decimal string literal with the currency's digits ("12.30"). */
  money (minor: number | bigint, digits: number): this {
    const buf = this.room(1)
    buf[this.pos++] = 34
    // Number(bigint) is exact below 2^53 and monotonic, so the range test on it is sound.
    const n = typeof minor === 'number' ? minor : Number(minor)
    if (n > -EXACT && n < EXACT && (typeof minor === 'bigint' || Number.isInteger(n))) this.digits(n, digits)
    else this.raw(formatScaled(BigInt(minor), digits))
    const end = this.room(1)
    end[this.pos++] = 34
    return this
  }

  // An exact integer count of 10^-decimals units. Up to 3 decimals it is written from tables of
  // 4-digit blocks (one remainder per four digits, as formatScaledNumber does for strings);
  // otherwise digit by digit from the last.
  private digits (count: number, decimals: number): this {
    let n = count
    if (n < 0) {
      this.room(1)[this.pos++] = 45
      n = -n
    }
    if (decimals <= 3) return this.blocks(n, blocksFor(decimals))
    let length = 1
    for (let limit = 10; limit <= n && length < 16; limit *= 10) length++
    if (length <= decimals) length = decimals + 1
    const total = length + 1
    const buf = this.room(total)
    let p = this.pos + total - 1
    for (let i = 0; i < length; i++) {
      if (i === decimals) buf[p--] = 46
      const rest = Math.floor(n / 10)
      buf[p--] = 48 + (n - rest * 10)
      n = rest
    }
    this.pos += total
    return this
  }

  private blocks (n: number, b: ByteBlocks): this {
    if (n < BLOCK) return this.copy(b.head, n * STRIDE, b.headLength[n] as number)
    // Below 2^31 the split runs on int32 operations; above, n % 10^4 is still exact.
    const low = n < INT32 ? (n | 0) % BLOCK : n % BLOCK
    this.blocks((n - low) / BLOCK, blocksFor(0))
    return this.copy(b.tail, low * STRIDE, b.tailLength)
  }

  private copy (table: Uint8Array, from: number, length: number): this {
    const buf = this.room(length)
    let p = this.pos
    for (let i = 0; i < length; i++) buf[p++] = table[from + i] as number
    this.pos = p
    return this
  }
}

// Renderings of 0…9999 units for 0…3 decimals, STRIDE bytes apart, built on first use: head
// without leading zeros ("0.05", "12.34"), tail as a full four-digit block ("00.05").
interface ByteBlocks { readonly head: Uint8Array, readonly headLength: Uint8Array, readonly tail: Uint8Array, readonly tailLength: number }
const BLOCK = 10000
const STRIDE = 8
const INT32 = 2 ** 31
const byteBlocks: Array<ByteBlocks | undefined> = [undefined, undefined, undefined, undefined]

function blocksFor (decimals: number): ByteBlocks {
  let b = byteBlocks[decimals]
  if (b === undefined) {
    const head = new Uint8Array(BLOCK * STRIDE)
    const headLength = new Uint8Array(BLOCK)
    const tail = new Uint8Array(BLOCK * STRIDE)
    const point = (digits: string): string => decimals === 0 ? digits : digits.slice(0, -decimals) + '.' + digits.slice(-decimals)
    for (let i = 0; i < BLOCK; i++) {
      const h = point(String(i).padStart(decimals + 1, '0'))
      const t = point(String(i).padStart(4, '0'))
      for (let k = 0; k < h.length; k++) head[i * STRIDE + k] = h.charCodeAt(k)
      for (let k = 0; k < t.length; k++) tail[i * STRIDE + k] = t.charCodeAt(k)
      headLength[i] = h.length
    }
    b = { head, headLength, tail, tailLength: decimals === 0 ? 4 : 5 }
    byteBlocks[decimals] = b
  }
  return b
}
