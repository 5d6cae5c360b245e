import cluster from 'node:cluster';

/**
 * Messages between the API processes of one `AKD_API_PROCESSES` group. A worker process sends
 * them to the primary process over the IPC channel of node:cluster, and the primary relays them (`runApiProcessGroup` in
 * `api-cluster.ts`). In a single API process these functions do nothing, because there
 * is no sibling to reach.
 */

/** Marks the IPC messages of this module, so that other messages on the channel are left alone. */
const CHANNEL = 'akd-api';

/** A message that every other API process of the group receives. */
export interface BroadcastMessage {
  channel: typeof CHANNEL;
  kind: 'broadcast';
  topic: string;
  payload: unknown;
}

/** A question that the primary forwards to every API process (the asker included), collecting the replies. */
export interface GatherRequest {
  channel: typeof CHANNEL;
  kind: 'gather';
  topic: string;
  requestId: number;
}

/** One process's reply to a {@link GatherRequest}, or the primary's collected replies. */
export interface GatherReply {
  channel: typeof CHANNEL;
  kind: 'gather-reply';
  requestId: number;
  payloads: unknown[];
}

export type SiblingMessage = BroadcastMessage | GatherRequest | GatherReply;

/** Returns whether `message` is one of this module's IPC messages. */
export function isSiblingMessage(message: unknown): message is SiblingMessage {
  return (
    typeof message === 'object' && message !== null && (message as { channel?: unknown }).channel === CHANNEL
  );
}

/** Returns whether this process is a worker of an API process group. */
export function inProcessGroup(): boolean {
  return cluster.isWorker && typeof process.send === 'function';
}

/** Sends `payload` under `topic` to the other API processes of the group. */
export function broadcastToSiblings(topic: string, payload: unknown): void {
  if (!inProcessGroup()) return;
  const message: BroadcastMessage = { channel: CHANNEL, kind: 'broadcast', topic, payload };
  process.send?.(message);
}

/** Calls `handler` for each message that another process of the group broadcasts under `topic`. Returns the unsubscribe function. */
export function onSiblingBroadcast(topic: string, handler: (payload: unknown) => void): () => void {
  if (!inProcessGroup()) return () => undefined;
  const listener = (message: unknown): void => {
    if (isSiblingMessage(message) && message.kind === 'broadcast' && message.topic === topic) {
      handler(message.payload);
    }
  };
  process.on('message', listener);
  return () => process.off('message', listener);
}

/** Replies to the gather requests under `topic` with the value of `respond()`. Returns the unsubscribe function. */
export function respondToGather(topic: string, respond: () => unknown): () => void {
  if (!inProcessGroup()) return () => undefined;
  const listener = (message: unknown): void => {
    if (isSiblingMessage(message) && message.kind === 'gather' && message.topic === topic) {
      const reply: GatherReply = {
        channel: CHANNEL,
        kind: 'gather-reply',
        requestId: message.requestId,
        payloads: [respond()],
      };
      process.send?.(reply);
    }
  };
  process.on('message', listener);
  return () => process.off('message', listener);
}

let nextRequestId = 1;

/**
 * Asks every API process of the group, this one included, for its value under `topic` and
 * returns the values. Returns null in a single API process, and when the primary does not reply
 * within `timeoutMs`.
 */
export function gatherFromGroup(topic: string, timeoutMs: number): Promise<unknown[] | null> {
  if (!inProcessGroup()) return Promise.resolve(null);
  const requestId = nextRequestId++;
  return new Promise((resolve) => {
    const finish = (payloads: unknown[] | null): void => {
      clearTimeout(timer);
      process.off('message', listener);
      resolve(payloads);
    };
    const listener = (message: unknown): void => {
      if (isSiblingMessage(message) && message.kind === 'gather-reply' && message.requestId === requestId) {
        finish(message.payloads);
      }
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    process.on('message', listener);
    const request: GatherRequest = { channel: CHANNEL, kind: 'gather', topic, requestId };
    process.send?.(request);
  });
}
