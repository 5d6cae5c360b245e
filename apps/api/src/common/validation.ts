import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AkdError } from '@akd/core';

function collectMessages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      // class-validator starts each message with the property name; show the full path instead.
      message.startsWith(error.property) ? path + message.slice(error.property.length) : message,
    );
    return [...own, ...collectMessages(error.children ?? [], path)];
  });
}

/**
 * Validates `@Args` and REST bodies with the class-validator rules of their DTO classes and
 * reports every failure in one INVALID_INPUT error.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    exceptionFactory: (errors) =>
      new AkdError('INVALID_INPUT', `Invalid input: ${collectMessages(errors).join('; ')}.`, {
        fields: errors.map((error) => error.property),
      }),
  });
}
