/**
 * Finds the JSON text of one option inside a stored quote body without parsing the whole body:
 * an acceptance needs one option of a whole quote, and JSON.parse of the whole body was a large
 * share of an acceptance's event-loop time (figures: bench/README.md).
 *
 * Sound because the body is the service's own JSON.stringify output: an option object begins
 * `{"id":<id>,"type":` (quote-json.ts writes id, then type), and an unescaped `{"` cannot occur
 * inside a JSON string. Options precede rejectedOptions, whose entries begin the same way. Any
 * surprise returns undefined and the caller parses the whole body instead.
 */
export function optionText (body: string, optionId: string): string | undefined {
  const options = body.indexOf('"options":[')
  if (options < 0) return undefined
  const start = body.indexOf(`{"id":${JSON.stringify(optionId)},"type":`, options)
  if (start < 0) return undefined
  const rejected = body.indexOf('"rejectedOptions":[', options)
  if (rejected >= 0 && start > rejected) return undefined
  const end = objectEnd(body, start)
  return end < 0 ? undefined : body.slice(start, end)
}

// The index just past the object opening at `start`, skipping over strings (and their escapes).
function objectEnd (text: string, start: number): number {
  let depth = 0
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) { // "
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i)
        if (s === 0x5c) i++ // \ escapes the next character
        else if (s === 0x22) break
      }
    } else if (c === 0x7b || c === 0x5b) { // { [
      depth++
    } else if (c === 0x7d || c === 0x5d) { // } ]
      depth--
      if (depth === 0) return i + 1
    }
  }
  return -1
}
