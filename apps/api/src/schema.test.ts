import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { it } from 'node:test';
import { generateSchemaSdl, REGENERATE_COMMAND, SCHEMA_FILE } from './schema-sdl.js';

it('committed schema.graphql matches the code', async () => {
  const committed = await readFile(SCHEMA_FILE, 'utf8');
  const generated = await generateSchemaSdl();
  assert.ok(
    committed === generated,
    `apps/api/schema.graphql differs from the schema the code generates. If the change is intended, run: ${REGENERATE_COMMAND}`,
  );
});
