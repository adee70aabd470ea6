import { isDataError } from './errors.js'
import { MicroBatcher, type BatchObserver } from './micro-batcher.js'
import type { Queryable } from './pool.js'
import { insertQuotes, type NewQuote } from './quotes-repository.js'

/**
 * Group commit for quotes: the inserts requested within one turn of the event loop go to
 * PostgreSQL as one multi-row INSERT; each caller waits for its own row's commit, so a 201 is only
 * sent for a stored quote.
 */
export class QuoteWriter {
  private readonly batcher: MicroBatcher<NewQuote, void>

  constructor (db: Queryable, observe?: BatchObserver) {
    this.batcher = new MicroBatcher({
      run: async (records) => { await insertQuotes(db, records); return records.map(() => undefined) },
      // A data or constraint error is retried row by row, so only the bad row fails. Any other
      // failure (connection lost, timeout) fails the whole batch: nothing is known to have
      // committed, and piling retries onto a struggling database helps no one.
      fallback: async (record, err) => {
        if (!isDataError(err)) throw err
        await insertQuotes(db, [record])
      },
      // One INSERT at a time: the quotes that arrive meanwhile share the next one. New rows wait
      // on no lock, so one batch in flight cannot hold the others up for long.
      maxInFlight: 1,
      observe: (size) => observe?.('quotes', size)
    })
  }

  async write (record: NewQuote): Promise<void> {
    await this.batcher.submit(record)
  }
}
