import type { CloudEvent, MessageBus, Subscription } from '@tessera/messaging';

/** What a de-duplicating consumer of identity-events has seen. */
export interface DedupConsumer {
  /** First delivery of each event id, in arrival order. */
  readonly events: CloudEvent[];
  readonly ids: Set<string>;
  /** Deliveries of an id already seen (at-least-once redelivery). */
  duplicates: number;
  /** Stream versions in arrival order, per stream (first deliveries only). */
  readonly versionsByStream: Map<string, number[]>;
  /** Resolves when every id in `ids` has arrived, or rejects after `timeoutMs`. */
  waitFor(ids: Iterable<string>, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Subscribes a consumer that de-duplicates by CloudEvent id, as DESIGN §3 asks of consumers. */
export async function dedupConsumer(bus: MessageBus, topic: string, groupId: string): Promise<DedupConsumer> {
  const state = {
    events: [] as CloudEvent[],
    ids: new Set<string>(),
    duplicates: 0,
    versionsByStream: new Map<string, number[]>(),
  };
  const sub: Subscription = await bus.subscribe(topic, { groupId, fromBeginning: true }, async (event) => {
    if (state.ids.has(event.id)) {
      state.duplicates++;
      return;
    }
    state.ids.add(event.id);
    state.events.push(event);
    const stream = event.subject ?? '';
    const versions = state.versionsByStream.get(stream) ?? [];
    versions.push(Number(event.streamversion));
    state.versionsByStream.set(stream, versions);
  });
  return Object.assign(state, {
    async waitFor(wanted: Iterable<string>, timeoutMs: number): Promise<void> {
      const list = [...wanted];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const missing = list.filter((id) => !state.ids.has(id));
        if (missing.length === 0) return;
        if (Date.now() > deadline) {
          throw new Error(`${missing.length} of ${list.length} events never arrived (first: ${missing[0]})`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: () => sub.stop(),
  });
}

/** True when each stream's versions arrived as 1, 2, 3, … with no gap and no reordering. */
export function streamsInOrder(versionsByStream: Map<string, number[]>): string[] {
  const bad: string[] = [];
  for (const [stream, versions] of versionsByStream) {
    if (!versions.every((v, i) => v === i + 1)) bad.push(stream);
  }
  return bad;
}
