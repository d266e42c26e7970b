import type { ExperimentStructure } from './experiment-store.js';

// A test fixture: a 2 × 2 multi-element structure (CTA A/B × Copy X/Y, weights 1:1:3:1) whose
// second element's control is its second variant, so the control combination is not the first.

const variant = (id: string, name: string, isControl: boolean) => ({
  id,
  element_id: id[0],
  name,
  weight: 1,
  is_control: isControl,
  content: {},
});

export const TWO_BY_TWO: ExperimentStructure = {
  elements: [
    {
      id: 'e1',
      name: 'CTA',
      selector: null,
      variants: [variant('a1', 'A', true), variant('a2', 'B', false)],
    },
    {
      id: 'e2',
      name: 'Copy',
      selector: null,
      variants: [variant('b1', 'X', false), variant('b2', 'Y', true)],
    },
  ],
  combinations: [
    { id: 'c00', variant_ids: ['a1', 'b1'], weight: 1 },
    { id: 'c01', variant_ids: ['a1', 'b2'], weight: 1 },
    { id: 'c10', variant_ids: ['a2', 'b1'], weight: 3 },
    { id: 'c11', variant_ids: ['a2', 'b2'], weight: 1 },
  ],
};
