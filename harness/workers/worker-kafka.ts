import { Kafka, logLevel } from "kafkajs";

/** A worker's Kafka client: a cut link fails a connection within 3 s and a request within 10 s, then is retried. */
export const workerKafka = (brokers: string[], clientId: string) =>
  new Kafka({ brokers, clientId, logLevel: logLevel.NOTHING, connectionTimeout: 3000, requestTimeout: 10_000 });

/**
 * A group member's session at the broker's minimum (6 s): a worker restarted after a crash gets its partitions only
 * once its killed predecessor's session has expired, so every crash case waits this long.
 */
export const groupSession = { sessionTimeout: 6000, heartbeatInterval: 1000 } as const;
