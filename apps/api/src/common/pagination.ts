import { Field, ObjectType } from '@nestjs/graphql';
import { AkdError } from '@akd/core';

/** Largest `first` that a paginated field accepts. */
export const MAX_PAGE_SIZE = 100;

/** `first` when a paginated field is called without it. */
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType({ description: 'Position of a page within a forward-paginated list.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item; pass it as `after` for the next page.',
  })
  endCursor!: string | null;
}

/** Position of an item in a keyset-ordered list: its sort value and its id, which breaks ties. */
export interface CursorPosition {
  /** Sort value; null for a row whose sort column is null. Dates and bigints travel as strings. */
  value: string | number | null;
  id: string;
}

/** Encodes a position as an opaque cursor (base64url of JSON). */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.value, position.id]), 'utf8').toString('base64url');
}

/** Decodes a cursor from {@link encodeCursor}. Throws INVALID_INPUT for anything else. */
export function decodeCursor(cursor: string): CursorPosition {
  const invalid = new AkdError(
    'INVALID_INPUT',
    `Invalid cursor "${cursor.slice(0, 80)}": pass the endCursor of a previous page unchanged.`,
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== 'string') throw invalid;
  const [value, id] = parsed as [unknown, string];
  if (value !== null && typeof value !== 'string' && typeof value !== 'number') throw invalid;
  return { value, id };
}

/** Throws INVALID_INPUT unless `first` is a whole number from 1 to {@link MAX_PAGE_SIZE}. */
export function checkPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid page size first=${first}: use a whole number from 1 to ${MAX_PAGE_SIZE}, and follow endCursor for more.`,
      { first, max: MAX_PAGE_SIZE },
    );
  }
}

/** A page of rows, fetched with one extra row to learn whether more follow. */
export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
}

/** Splits rows fetched with `take: first + 1` into the page and the `hasNextPage` flag. */
export function toPage<T>(rows: T[], first: number): Page<T> {
  return { nodes: rows.slice(0, first), hasNextPage: rows.length > first };
}
