import type { AkdErrorCode } from '@akd/core';
import type { JobOutcome } from '@akd/jobs';

/** Message from a worker to its training process: run one job on one row. */
export interface TrainingRequest {
  kind: 'teacher' | 'final-model';
  rowId: string;
}

/** Message from a training process to its worker, sent once before it exits. */
export type TrainingReply =
  | { type: 'done'; outcome: JobOutcome }
  | {
      type: 'error';
      code: AkdErrorCode;
      message: string;
      /** True when a retry cannot help, for example because the failure is recorded on the row. */
      permanent: boolean;
    };
