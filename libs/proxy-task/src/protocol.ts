import type { AkdErrorCode } from '@akd/core';
import type { Genome } from '@akd/search-space';
import type { ProxyResult, ProxyTaskSpec } from './proxy-task.js';

/** Message from the pool to a worker process: score one genome. */
export interface ChildRequest {
  id: number;
  spec: ProxyTaskSpec;
  genome: Genome;
  seed?: number;
}

/** Message from a worker process to the pool. */
export type ChildReply =
  | { type: 'ready'; backend: string }
  | { type: 'result'; id: number; result: ProxyResult }
  | { type: 'error'; id: number; code: AkdErrorCode; message: string }
  | { type: 'fatal'; code: AkdErrorCode; message: string };
