import type { Admin } from "kafkajs";

/** The one admin call committedOffsets needs: kafkajs's admin and the confluent client's both have it. */
type OffsetsAdmin = Pick<Admin, "fetchOffsets">;

/** A consumer group's committed offset per partition of a topic (a partition never committed is absent). */
export async function committedOffsets(
  admin: OffsetsAdmin,
  groupId: string,
  topic: string,
): Promise<Map<number, number>> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  // librdkafka's admin answers [] for a group that never committed (the offsets-in-db sink).
  return new Map(
    (committed?.partitions ?? []).filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]),
  );
}

/** Records between each partition's position and its end, summed. */
export function lagOf(ends: ReadonlyMap<number, number>, positions: ReadonlyMap<number, number>): number {
  let lag = 0;
  for (const [partition, end] of ends) lag += Math.max(0, end - (positions.get(partition) ?? 0));
  return lag;
}

/** Records a consumer group has not committed yet on a topic without transaction markers. */
export async function groupLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets, positions] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    committedOffsets(admin, groupId, topic),
  ]);
  return lagOf(new Map(offsets.map((p) => [p.partition, Number(p.high)])), positions);
}
