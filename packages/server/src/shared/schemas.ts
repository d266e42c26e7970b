import { Type } from 'typebox';

export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });

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
