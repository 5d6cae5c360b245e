// Applies, lists or creates database migrations. Run with `npx tsx scripts/db-migrate.ts --help`.
// The database is DATABASE_URL when set, otherwise the embedded Postgres under AKD_DATA_DIR (./var).
import { parseArgs } from 'node:util';

import { AkdError } from '@akd/core';
import { openDatabase, pendingMigrations } from '@akd/db';
import { createMigration } from '@akd/db/schema-engine';

const HELP = `Usage: db-migrate [command] [options]

Commands:
  deploy          Apply pending migrations (the default).
  status          List migrations not yet applied; exit code 1 when there are some.
  create <name>   Write prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes
                  the existing migrations to prisma/schema.prisma. Needs a server where the user
                  may create a scratch database.

Options:
  --data-dir <dir>  Folder of the embedded Postgres (default: AKD_DATA_DIR, then ./var).
  -h, --help        Show this help.

Environment:
  DATABASE_URL   Postgres to use in place of the embedded one.
`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }

  const [command = 'deploy', ...rest] = positionals;
  const dataDir = values['data-dir'];
  switch (command) {
    case 'deploy': {
      const db = await openDatabase({ dataDir });
      await db.close();
      console.log('The database is up to date.');
      return 0;
    }
    case 'status': {
      const db = await openDatabase({ dataDir, migrate: false });
      try {
        const pending = await pendingMigrations(db.url);
        if (pending.length === 0) {
          console.log('No pending migrations.');
          return 0;
        }
        console.log(`${pending.length} pending migration(s):`);
        for (const migration of pending) console.log(`  ${migration.name}`);
        return 1;
      } finally {
        await db.close();
      }
    }
    case 'create': {
      const name = rest.join(' ').trim();
      if (!name) {
        process.stderr.write('Missing migration name: db-migrate create <name>\n');
        return 2;
      }
      const db = await openDatabase({ dataDir, migrate: false });
      try {
        const created = await createMigration({ serverUrl: db.url, name });
        if (created === null) {
          console.log('prisma/schema.prisma matches the existing migrations, so no migration was created.');
        } else {
          console.log(`Created ${created.path}. Review it, then apply it with db-migrate deploy.`);
        }
        return 0;
      } finally {
        await db.close();
      }
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof AkdError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
