import { SCENARIO_NAMES } from '@samplit/engine';
import { InvalidArgumentError } from 'commander';

/** Commander argument parsers shared by the CLI commands. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
}

/** A built-in scenario's name (the engine's simulator scenarios, which the demos share). */
export function scenarioName(value: string): string {
  if (!SCENARIO_NAMES.includes(value)) {
    throw new InvalidArgumentError(`unknown scenario (known: ${SCENARIO_NAMES.join(', ')})`);
  }
  return value;
}
