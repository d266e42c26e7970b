/**
 * SQLSTATE classes a statement fails with because of the values it was given, not because of
 * the database: 22 data exception (a NUL byte, a number out of range), 23 integrity constraint
 * violation, 54 program limit exceeded (a value too deep or too large). Retrying the same
 * statement fails the same way; retrying without the offending values succeeds.
 */
const DATA_CLASSES = new Set(['22', '23', '54']);

/** The SQLSTATE of a PostgreSQL or PGlite error, if it has one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Whether the database refused a statement for its data (see DATA_CLASSES). */
export function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && DATA_CLASSES.has(state.slice(0, 2));
}
