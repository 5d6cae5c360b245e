/** `'policy-gradient'` → `'policy_gradient'`, at the type level. */
export type EnumKey<T extends string> = T extends `${infer Head}-${infer Tail}`
  ? `${Head}_${EnumKey<Tail>}`
  : T;

/** `'policy_gradient'` → `'policy-gradient'`, at the type level. */
export type EnumValue<T extends string> = T extends `${infer Head}_${infer Tail}`
  ? `${Head}-${EnumValue<Tail>}`
  : T;

/**
 * Converts a kebab-case value as the CLI and API spell it (`'imported-model'`) into the Prisma
 * enum key (`'imported_model'`). Postgres stores the kebab-case spelling through @map.
 */
export function toEnumKey<T extends string>(value: T): EnumKey<T> {
  return value.replace(/-/g, '_') as EnumKey<T>;
}

/** Converts a Prisma enum key (`'imported_model'`) into its kebab-case value (`'imported-model'`). */
export function fromEnumKey<T extends string>(key: T): EnumValue<T> {
  return key.replace(/_/g, '-') as EnumValue<T>;
}
