import { Kafka, logLevel, type Producer } from "kafkajs";

/**
 * An idempotent kafkajs producer with bounded timeouts (a fault must surface as an error, not a hang),
 * recreated after a failure: a producer that lost its connection mid-send is not trusted again.
 */
export class RelayProducer {
  private producer?: Producer;
  constructor(
    private brokers: string[],
    private clientId: string,
  ) {}

  async get(): Promise<Producer> {
    if (!this.producer) {
      const kafka = new Kafka({
        brokers: this.brokers,
        clientId: this.clientId,
        logLevel: logLevel.NOTHING,
        connectionTimeout: 3000,
        requestTimeout: 5000,
        retry: { retries: 2, initialRetryTime: 200 },
      });
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await p.connect();
      this.producer = p;
    }
    return this.producer;
  }

  async send(
    topic: string,
    messages: { key: string; value: string; headers?: Record<string, string> }[],
  ): Promise<void> {
    const p = await this.get();
    try {
      await p.send({ topic, acks: -1, timeout: 5000, messages });
    } catch (e) {
      await this.reset();
      throw e;
    }
  }

  async reset(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    await p?.disconnect().catch(() => {});
  }
}
