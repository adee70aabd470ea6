import { isRetryable } from './errors.js'

export const MAX_ATTEMPTS = 4

/** Runs `work` (one atomic statement or transaction) again on 40001/40P01, a bounded number of times. */
export async function retrying<T> (work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (err) {
      // Serialization failures and deadlocks are PostgreSQL asking for a retry, not errors for the caller.
      if (!isRetryable(err) || attempt >= MAX_ATTEMPTS) throw err
      // Brief jittered back-off so two retrying writers do not collide again at once.
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10))
    }
  }
}
