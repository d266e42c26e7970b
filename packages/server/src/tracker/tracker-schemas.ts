import { type Static, Type } from 'typebox';
import { Nullable, Uuid } from '../shared/schemas.js';

/** Largest |value| of one event: far above any order, and its square stays exact enough in the sums of squares. */
export const MAX_EVENT_VALUE = 1e9;

const BrowserId = Type.String({ minLength: 1, maxLength: 128, description: 'The visitor’s stable id' });

export const AssignBody = Type.Object(
  {
    experiment_id: Uuid,
    browser_id: BrowserId,
    context: Type.Optional(
      Type.Object(
        {
          url: Type.Optional(Type.String({ maxLength: 4096 })),
          referrer: Type.Optional(Type.String({ maxLength: 4096 })),
          user_agent: Type.Optional(Type.String({ maxLength: 1024 })),
          language: Type.Optional(Type.String({ maxLength: 64 })),
          attributes: Type.Optional(Type.Record(Type.String({ maxLength: 200 }), Type.Unknown())),
        },
        { additionalProperties: false, description: 'What targeting rules are evaluated against' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type AssignBody = Static<typeof AssignBody>;

export const ConvertBody = Type.Object(
  {
    experiment_id: Uuid,
    browser_id: BrowserId,
    goal: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Default "conversion"' })),
    value: Type.Optional(
      Type.Number({
        minimum: -MAX_EVENT_VALUE,
        maximum: MAX_EVENT_VALUE,
        description:
          'Revenue or any numeric value of the event (a refund may be negative); a revenue goal sums it per visitor',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ConvertBody = Static<typeof ConvertBody>;

/** One element's variant as the tracker sends it to the page. */
export const ServedVariant = Type.Object({
  element_id: Uuid,
  element_name: Type.String(),
  selector: Nullable(Type.String()),
  variant_id: Uuid,
  variant_name: Type.String(),
  is_control: Type.Boolean(),
  content: Type.Unknown(),
});
export type ServedVariant = Static<typeof ServedVariant>;

/** Why a visitor sees the control without being enrolled. */
export const IneligibleReason = Type.Enum(['not_running', 'targeting', 'traffic']);
export type IneligibleReason = Static<typeof IneligibleReason>;

/**
 * An answer's `reason`: why assign did not enrol the visitor, or `preview`: the combination a
 * preview link forces (POST /tracker/preview), enrolling no one.
 */
export const AssignReason = Type.Enum([...IneligibleReason.enum, 'preview']);

export const AssignResponse = Type.Object({
  experiment_id: Uuid,
  browser_id: Type.String(),
  eligible: Type.Boolean(),
  combination_id: Type.Optional(Uuid),
  new_assignment: Type.Optional(Type.Boolean()),
  reason: Type.Optional(AssignReason),
  variants: Type.Array(ServedVariant),
});
export type AssignResponse = Static<typeof AssignResponse>;

export const ConvertResponse = Type.Object({ counted: Type.Boolean() });
export type ConvertResponse = Static<typeof ConvertResponse>;

export const PreviewBody = Type.Object(
  {
    token: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'The `samplit_preview` token of a preview link (GET /experiments/{id}/preview-links)',
    }),
  },
  { additionalProperties: false },
);
export type PreviewBody = Static<typeof PreviewBody>;
