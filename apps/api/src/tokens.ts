/** Injection token of the application's `PrismaClient`. */
export const PRISMA = Symbol('PrismaClient');

/** Injection token of the {@link ApiConfig}. */
export const API_CONFIG = Symbol('ApiConfig');

/** Injection token of the {@link JobQueue} that hands work to the workers. */
export const JOB_QUEUE = Symbol('JobQueue');
