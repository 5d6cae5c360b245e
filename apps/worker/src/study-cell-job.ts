import { AkdError } from '@akd/core';
import type { JobOutcome, JobPayloads } from '@akd/jobs';
import type { WorkerContext } from './context.js';

/** Error recorded on every study cell until studies are implemented. */
export const STUDY_CELLS_NOT_IMPLEMENTED = 'Study cells are not implemented yet.';

/** Runs a study-cell job. */
export async function runStudyCellJob(
  ctx: WorkerContext,
  payload: JobPayloads['study-cell'],
): Promise<JobOutcome> {
  const { studyCellId } = payload;
  const cell = await ctx.prisma.studyCell.findUnique({
    where: { id: studyCellId },
    select: { status: true },
  });
  if (!cell) throw new AkdError('NOT_FOUND', `Study cell ${studyCellId} does not exist.`, { studyCellId });
  if (cell.status !== 'pending' && cell.status !== 'running') {
    return { outcome: 'skipped', reason: `the study cell is already ${cell.status}` };
  }
  // TODO: run the cell (train its architecture with its method and store the result) once the
  // studies are implemented. Until then every queued cell is marked failed here.
  await ctx.prisma.studyCell.updateMany({
    where: { id: studyCellId, status: { in: ['pending', 'running'] } },
    data: { status: 'failed', attempts: { increment: 1 }, error: STUDY_CELLS_NOT_IMPLEMENTED },
  });
  return { outcome: 'failed', reason: STUDY_CELLS_NOT_IMPLEMENTED };
}
