import { AkdError } from '@akd/core';

/** The facts about a teacher that decide whether it may join an ensemble. */
export interface EnsembleCandidate {
  id: string;
  name: string;
  /** Teacher status; only `ready` teachers may join. */
  status: string;
  datasetId: string;
  /** Dataset name for messages. */
  datasetName: string;
}

/** Smallest number of members of an ensemble teacher. */
export const MIN_ENSEMBLE_MEMBERS = 2;

/**
 * Checks the members of an ensemble teacher and returns them in the order of `memberIds`.
 * Throws INVALID_INPUT for a repeated id, fewer than {@link MIN_ENSEMBLE_MEMBERS} members, a member
 * that is not ready or members of different datasets (naming both datasets), and NOT_FOUND for an
 * id missing from `found`.
 */
export function validateEnsembleMembers(
  memberIds: readonly string[],
  found: readonly EnsembleCandidate[],
): EnsembleCandidate[] {
  const seen = new Set<string>();
  for (const id of memberIds) {
    if (seen.has(id)) {
      const name = found.find((teacher) => teacher.id === id)?.name;
      throw new AkdError(
        'INVALID_INPUT',
        `Teacher ${name ? `${name} (${id})` : id} is listed twice; list each ensemble member once.`,
        { id },
      );
    }
    seen.add(id);
  }
  if (memberIds.length < MIN_ENSEMBLE_MEMBERS) {
    throw new AkdError(
      'INVALID_INPUT',
      `An ensemble needs at least ${MIN_ENSEMBLE_MEMBERS} member teachers, but ${memberIds.length} ${memberIds.length === 1 ? 'was' : 'were'} given.`,
      { count: memberIds.length },
    );
  }

  const members = memberIds.map((id) => {
    const member = found.find((teacher) => teacher.id === id);
    if (!member) throw new AkdError('NOT_FOUND', `No teacher has id ${id}.`, { id });
    return member;
  });
  for (const member of members) {
    if (member.status !== 'ready') {
      throw new AkdError(
        'INVALID_INPUT',
        `Teacher ${member.name} is ${member.status}, not ready; train or import it before adding it to an ensemble.`,
        { id: member.id, status: member.status },
      );
    }
  }
  const first = members[0];
  for (const member of members.slice(1)) {
    if (member.datasetId !== first.datasetId) {
      throw new AkdError(
        'INVALID_INPUT',
        `Teacher ${member.name} belongs to dataset ${member.datasetName} but teacher ${first.name} belongs to dataset ${first.datasetName}; ensemble members must share one dataset.`,
        { id: member.id, datasetId: member.datasetId, expectedDatasetId: first.datasetId },
      );
    }
  }
  return members;
}
