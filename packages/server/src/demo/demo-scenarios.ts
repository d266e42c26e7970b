import { getScenario, SCENARIO_NAMES, type Scenario } from '@samplit/engine';

/** One element of a demo experiment: display name, CSV column, variant names (control first). */
export interface DemoElement {
  name: string;
  column: string;
  variants: string[];
}

/** An engine scenario dressed as a web experiment: named elements and variants per arm. */
export interface DemoScenario {
  scenario: Scenario;
  elements: DemoElement[];
  /** Per arm (engine order): the variant name of each element, and the hidden true rate. */
  combinations: { name: string; variants: string[]; rate: number }[];
}

/** Joins variant names into a combination name: "CTA-B × Copy-Y" (the API's convention too). */
export const combinationName = (variants: readonly string[]): string => variants.join(' × ');

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

// The seed-multielement demo: CTA Button × Hero Copy.
const SEED_ELEMENTS: DemoElement[] = [
  { name: 'CTA Button', column: 'cta_button', variants: ['CTA-A', 'CTA-B', 'CTA-C'] },
  { name: 'Hero Copy', column: 'hero_copy', variants: ['Copy-X', 'Copy-Y', 'Copy-Z'] },
];

function elementsFor(scenario: Scenario): DemoElement[] {
  if (scenario.name === 'seed-multielement') return SEED_ELEMENTS;
  if (!scenario.levels) {
    const variants = scenario.rates.map((_, i) => `Variant-${LETTERS[i] ?? i + 1}`);
    return [{ name: 'Variant', column: 'variant', variants }];
  }
  const counts = scenario.levels[0].map((_, e) => Math.max(...scenario.levels!.map((row) => row[e])) + 1);
  return counts.map((count, e) => ({
    name: `Element ${e + 1}`,
    column: `element_${e + 1}`,
    variants: Array.from({ length: count }, (_, v) => `E${e + 1}-${LETTERS[v] ?? v + 1}`),
  }));
}

/**
 * A built-in engine scenario by name (`samplit simulate --scenario` names), with element and
 * variant names for the CSV; undefined for an unknown name.
 *
 * @example
 * demoScenario('seed-multielement')?.combinations[4].name; // "CTA-B × Copy-Y"
 */
export function demoScenario(name: string): DemoScenario | undefined {
  const scenario = getScenario(name);
  // Demo data is conversions only: the revenue scenarios are the simulator's.
  if (!scenario || scenario.values) return undefined;
  const elements = elementsFor(scenario);
  const levels = scenario.levels ?? scenario.rates.map((_, i) => [i]);
  return {
    scenario,
    elements,
    combinations: scenario.rates.map((rate, arm) => {
      const variants = levels[arm].map((v, e) => elements[e].variants[v]);
      return { name: combinationName(variants), variants, rate };
    }),
  };
}

/** The built-in scenarios the demos can play: those about conversions (not revenue). */
export const DEMO_SCENARIO_NAMES = SCENARIO_NAMES.filter((name) => !getScenario(name)?.values);

/** The arm with the highest true rate (what every analysis should find); null on a tie (A/A). */
export function trueWinner(demo: DemoScenario): number | null {
  let best = 0;
  for (let i = 1; i < demo.combinations.length; i++) {
    if (demo.combinations[i].rate > demo.combinations[best].rate) best = i;
  }
  const top = demo.combinations[best].rate;
  return demo.combinations.filter((c) => c.rate === top).length > 1 ? null : best;
}
