import { type TSchema, Type } from 'typebox';

export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });

/** An RFC 3339 timestamp (the validator's `date-time` format also checks it is storable). */
export const DateTime = Type.String({ format: 'date-time' });

/** `schema` or null; `options` (a description) go on the union, where OpenAPI shows them. */
export function Nullable<T extends TSchema>(schema: T, options?: { description?: string }) {
  return Type.Union([schema, Type.Null()], options);
}

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ examples: ['EXP_CREATE_001'] }),
      message: Type.String(),
      details: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every error has this shape.' },
);

const errorRef = Type.Unsafe<Record<string, unknown>>({ $ref: 'ErrorResponse#' });

/** Response schemas for the given error statuses, for a route's `response` map. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorRef> {
  return Object.fromEntries(statuses.map((s) => [s, errorRef]));
}

export const IdParams = Type.Object({ id: Uuid });
