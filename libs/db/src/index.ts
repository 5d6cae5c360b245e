export * from './generated/prisma/client.js';
export { createPrismaClient, type PrismaClientOptions } from './client.js';
export { describeUrl, formatTarget, type ConnectionTarget } from './connection.js';
export { fromEnumKey, toEnumKey, type EnumKey, type EnumValue } from './enums.js';
export {
  DEFAULT_MIGRATIONS_DIR,
  MIGRATION_LOCK_KEY,
  migrate,
  pendingMigrations,
  readMigrations,
  type MigrateOptions,
  type MigrateResult,
  type Migration,
} from './migrate.js';
export { openDatabase, type Database, type OpenDatabaseOptions } from './open.js';
