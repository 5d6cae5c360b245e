import type { AkdErrorCode } from '@akd/core';
import type { JobOutcome } from '@akd/jobs';

/** Message from a worker to its training process: run one job on one row. */
export interface TrainingRequest {
  /** `study-cell` runs a similarity cell or a full-mode training cell of a study. */
  kind: 'teacher' | 'final-model' | 'study-cell';
  rowId: string;
  /** Attempts the study cell may use; only for `study-cell`. */
  maxAttempts?: number;
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
