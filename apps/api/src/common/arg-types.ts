import 'reflect-metadata';

/** Metadata key under which `@Args` records the explicit `type` of each parameter (@nestjs/graphql 14). */
const ARGS_TYPE_METADATA = 'graphql:args_type';

interface ArgsTypeEntry {
  index: number;
  typeFn?: () => unknown;
}

/**
 * Class decorator for resolvers. tsx compiles with esbuild, which emits no `design:paramtypes`,
 * but @nestjs/graphql reads it for every `@Args` parameter and Nest's ValidationPipe needs it to
 * know the DTO class. This defines it from the explicit `@Args({ type })` functions: a class
 * stays a class, and scalars and lists become `Object`, which the pipe does not validate.
 */
export function DeclareArgTypes(): ClassDecorator {
  return (target) => {
    const prototype = target.prototype as object;
    for (const key of Object.getOwnPropertyNames(prototype)) {
      if (key === 'constructor') continue;
      const entries = Reflect.getMetadata(ARGS_TYPE_METADATA, target, key) as ArgsTypeEntry[] | undefined;
      const existing = Reflect.getMetadata('design:paramtypes', prototype, key) as unknown[] | undefined;
      if (existing) continue;
      const types: unknown[] = [];
      for (const entry of entries ?? []) {
        const type = entry.typeFn?.();
        types[entry.index] = typeof type === 'function' ? type : Object;
      }
      Reflect.defineMetadata('design:paramtypes', types, prototype, key);
    }
  };
}

/**
 * Method decorator for REST handlers: declares the types of the parameters (`design:paramtypes`),
 * which tsx does not emit, so that Nest's ValidationPipe receives them. Primitive types such as
 * `String` and `Object` are passed on without validation.
 */
export function ParamTypes(...types: unknown[]): MethodDecorator {
  return (target, key) => {
    Reflect.defineMetadata('design:paramtypes', types, target, key);
  };
}
