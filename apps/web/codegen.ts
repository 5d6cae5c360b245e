// GraphQL Code Generator: TypeScript types and typed string documents for every graphql()
// operation in src/, from the API's committed schema. Run `npm run web:codegen` after changing
// an operation or the schema; test/web/codegen.test.ts fails when src/gql is out of date.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../api/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: false,
  // NodeNext resolution, like the rest of the repository: relative imports end in .js.
  emitLegacyCommonJSImports: false,
  // Formatted like the rest of the repository, so that the drift test compares formatted files.
  hooks: { afterAllFileWrite: ['prettier --write'] },
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: { BigInt: 'string', DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
