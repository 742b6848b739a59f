import { Kafka, logLevel } from "kafkajs";

/** Creates topics with `partitions` each and waits for their leaders: every pattern's and baseline's set-up. */
export async function createTopics(brokers: string[], topics: readonly string[], partitions = 1): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: partitions })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}
