// Prisma CLI configuration. Prisma 7 reads the datasource URL from here, not from the schema.
// `prisma generate` needs no URL. `prisma migrate deploy` and `prisma migrate diff` read DATABASE_URL.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
});
