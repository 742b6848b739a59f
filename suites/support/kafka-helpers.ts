import { Kafka, logLevel } from "kafkajs";
import { sleep } from "../../harness/util/wait.js";

/** Creates topics and waits until they are known, so consumers never subscribe to a missing topic. */
export async function createTopics(brokers: string[], topics: string[], numPartitions = 1): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Polls until `values()` has at least `n` items or `timeoutMs` passes; returns what it has either way. */
export async function collect<T>(values: () => T[], n: number, timeoutMs = 20_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  while (values().length < n && Date.now() < deadline) await sleep(50);
  return values();
}
