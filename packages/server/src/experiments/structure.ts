import type { ErrorDetail } from '../errors/app-error.js';
import type { CreateExperimentBody } from './experiment-schemas.js';
import { validateTargetingRule } from './targeting.js';

/** A validated experiment structure: elements in order, each with its variants in order. */
export interface StructureVariant {
  name: string;
  weight: number;
  is_control: boolean;
  content: Record<string, unknown>;
}
export interface StructureElement {
  name: string;
  selector: string | null;
  variants: StructureVariant[];
}

type StructureInput = Pick<CreateExperimentBody, 'type' | 'selector' | 'variants' | 'elements'>;

export const DEFAULT_ELEMENT_NAME = 'Main element';

function duplicates(names: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) (seen.has(n.trim().toLowerCase()) ? dup : seen).add(n.trim().toLowerCase());
  return [...dup];
}

/**
 * Checks the structure rules a JSON schema cannot express (docs/architecture.md#experiment), and
 * returns the normalised structure, or every problem found (each naming its field).
 */
export function validateStructure(
  input: StructureInput,
  options: { maxCombinations: number; allowCustomJs: boolean },
): { structure: StructureElement[]; errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  let elements: {
    path: string;
    name: string;
    selector: string | null;
    variants: NonNullable<StructureInput['variants']>;
  }[] = [];

  if (input.variants && input.elements) {
    errors.push({ field: 'body.variants', message: 'give either variants (ab_test) or elements, not both' });
  } else if (input.type === 'ab_test') {
    if (input.variants) {
      elements = [
        {
          path: 'body',
          name: DEFAULT_ELEMENT_NAME,
          selector: input.selector ?? null,
          variants: input.variants,
        },
      ];
    } else if (input.elements) {
      if (input.elements.length !== 1) {
        errors.push({ field: 'body.elements', message: 'an ab_test has exactly one element' });
      }
      elements = input.elements.map((e, i) => ({
        path: `body.elements.${i}`,
        name: e.name,
        selector: e.selector ?? input.selector ?? null,
        variants: e.variants,
      }));
    } else {
      errors.push({ field: 'body.variants', message: 'an ab_test needs variants (at least 2)' });
    }
  } else {
    if (input.variants) {
      errors.push({
        field: 'body.variants',
        message: 'a multi_element experiment takes elements, not variants',
      });
    } else if (!input.elements || input.elements.length < 2) {
      errors.push({
        field: 'body.elements',
        message: 'a multi_element experiment needs at least 2 elements',
      });
    }
    if (input.selector !== undefined && input.selector !== null) {
      errors.push({
        field: 'body.selector',
        message: 'a multi_element experiment sets a selector per element',
      });
    }
    elements = (input.elements ?? []).map((e, i) => ({
      path: `body.elements.${i}`,
      name: e.name,
      selector: e.selector ?? null,
      variants: e.variants,
    }));
  }

  for (const dup of duplicates(elements.map((e) => e.name))) {
    errors.push({ field: 'body.elements', message: `element name "${dup}" is used twice` });
  }

  const structure = elements.map((element): StructureElement => {
    const { path, variants } = element;
    if (variants.length < 2) errors.push({ field: `${path}.variants`, message: 'needs at least 2 variants' });
    for (const dup of duplicates(variants.map((v) => v.name))) {
      errors.push({ field: `${path}.variants`, message: `variant name "${dup}" is used twice` });
    }
    const controls = variants.filter((v) => v.is_control === true).length;
    if (controls > 1)
      errors.push({ field: `${path}.variants`, message: 'exactly one variant may be the control' });
    const controlIndex = Math.max(
      0,
      variants.findIndex((v) => v.is_control === true),
    );
    variants.forEach((v, j) => {
      if (v.content?.js !== undefined && !options.allowCustomJs) {
        errors.push({
          field: `${path}.variants.${j}.content.js`,
          message: 'custom JavaScript needs allow_custom_js: true on the experiment',
        });
      }
    });
    return {
      name: element.name,
      selector: element.selector,
      variants: variants.map((v, j) => ({
        name: v.name,
        weight: v.weight ?? 1,
        is_control: j === controlIndex,
        content: (v.content ?? {}) as Record<string, unknown>,
      })),
    };
  });

  const combinations = structure.reduce((n, e) => n * e.variants.length, 1);
  if (structure.length > 0 && combinations > options.maxCombinations) {
    errors.push({
      field: 'body.elements',
      message: `${combinations} combinations exceed the limit of ${options.maxCombinations}`,
    });
  }
  return { structure, errors };
}

/** A targeting rule must stay inside the allow-listed grammar of targeting.ts (data, never code). */
export function validateTargeting(targeting: Record<string, unknown> | null | undefined): ErrorDetail[] {
  if (!targeting) return [];
  return validateTargetingRule(targeting, 'body.targeting');
}

/**
 * Every combination of one variant per element, in element order (the first element varies slowest),
 * with its fixed-allocation weight: the product of its variants' weights.
 */
export function enumerateCombinations<V extends { weight: number }>(
  elements: V[][],
): { variants: V[]; weight: number }[] {
  let combos: V[][] = [[]];
  for (const variants of elements) combos = combos.flatMap((c) => variants.map((v) => [...c, v]));
  return combos.map((variants) => ({ variants, weight: variants.reduce((w, v) => w * v.weight, 1) }));
}
