import { SetMetadata } from '@nestjs/common';

/**
 * Access rule of a handler. `public`: anyone, with or without a token. `read`: any valid token, or
 * nobody's when AKD_PUBLIC_READ=1. `token`: any valid token, even with public reads on.
 * `editor`: a valid editor token.
 */
export type AccessLevel = 'public' | 'read' | 'token' | 'editor';

export const ACCESS_METADATA = 'akd:access';

/** Sets the {@link AccessLevel} of a resolver, controller or handler; handlers default to `read`. */
export const Access = (level: AccessLevel): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, level);
