// The dashboard's GraphQL types in apps/web/src/gql are generated from the API's committed schema
// and the operations in apps/web/src; this fails when either changed without `npm run web:codegen`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, type CodegenConfig } from '@graphql-codegen/cli';
import * as prettier from 'prettier';
import { WEB_DIR } from './stack.js';

describe('dashboard GraphQL types', () => {
  it('match the schema and the operations', async () => {
    const cwd = process.cwd();
    process.chdir(WEB_DIR);
    let outputs: { filename: string; content: string }[];
    try {
      const config = (await import(join(WEB_DIR, 'codegen.ts'))) as { default: CodegenConfig };
      outputs = (await generate(
        { ...config.default, hooks: {}, silent: true, cwd: WEB_DIR },
        false,
      )) as typeof outputs;
    } finally {
      process.chdir(cwd);
    }
    assert.ok(outputs.length >= 3, `codegen produced ${outputs.length} files`);
    for (const output of outputs) {
      const path = join(WEB_DIR, output.filename);
      const options = (await prettier.resolveConfig(path)) ?? {};
      const expected = await prettier.format(output.content, { ...options, filepath: path });
      assert.equal(
        readFileSync(path, 'utf8'),
        expected,
        `${output.filename} is out of date: run npm run web:codegen`,
      );
    }
  });
});
