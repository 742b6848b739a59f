/**
 * Operating errors (a slow or restarting database) are retried a few times with backoff; after that the error
 * goes up and kafkajs delivers the batch again: at-least-once, like every real consumer.
 */
export async function withRetries<T>(work: () => Promise<T>, onError: () => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      onError();
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
}
