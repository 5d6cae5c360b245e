import { writeFile } from 'node:fs/promises';
import { generateSchemaSdl, SCHEMA_FILE } from './schema-sdl.js';

await writeFile(SCHEMA_FILE, await generateSchemaSdl());
process.stdout.write(`Wrote ${SCHEMA_FILE}\n`);
