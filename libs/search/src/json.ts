/**
 * A value that survives `JSON.stringify` followed by `JSON.parse` unchanged. Numbers must be
 * finite, because JSON has no encoding for NaN or infinities.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, for example the saved state of a strategy. */
export type JsonObject = { [key: string]: JsonValue };
