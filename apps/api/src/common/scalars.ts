import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const INTEGER_TEXT = /^-?\d+$/;

function parseBigIntText(text: string): bigint {
  if (!INTEGER_TEXT.test(text)) {
    throw new TypeError(`BigInt must be a whole number written in decimal digits, got "${text}".`);
  }
  return BigInt(text);
}

/**
 * 64-bit integers such as parameter and FLOP counts. They are sent as decimal strings, because
 * JSON numbers lose precision above 2^53 and GraphQL's Int stops at 2^31 - 1. Inputs may be a
 * string of digits or an Int literal.
 */
export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: 'BigInt',
  description:
    'A whole number of any size, serialised as a string of decimal digits (for example "12884901888") ' +
    'so that values above 2^53 keep every digit. Inputs accept such a string or an Int.',
  serialize(value) {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    if (typeof value === 'string' && INTEGER_TEXT.test(value)) return value;
    throw new TypeError(`BigInt cannot represent ${String(value)}.`);
  },
  parseValue(value) {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
    if (typeof value === 'string') return parseBigIntText(value);
    throw new TypeError(`BigInt must be a string of digits or an integer, got ${JSON.stringify(value)}.`);
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.INT || ast.kind === Kind.STRING) return parseBigIntText(ast.value);
    throw new TypeError(
      `BigInt must be a string of digits or an integer literal, got a ${ast.kind} literal.`,
    );
  },
});

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((item) => literalToJson(item, variables));
    case Kind.OBJECT:
      return Object.fromEntries(
        ast.fields.map((field) => [field.name.value, literalToJson(field.value, variables)]),
      );
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    case Kind.ENUM:
      return ast.value;
  }
}

/** Any JSON value: the free-form settings and documents stored in JSON columns. */
export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'Any JSON value (object, array, string, number, boolean or null).',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});
