import { AppError } from '../errors/app-error.js';
import type { PreviewTokens } from '../experiments/preview-token.js';
import type { AssignResponse, PreviewBody, ServedVariant } from './tracker-schemas.js';
import type { TrackerStore } from './tracker-store.js';

/**
 * Preview links (docs/architecture.md#preview-links): a verified token names one combination,
 * which is answered in the shape of an assign but never enrols anyone. Read straight from the
 * database by id rather than through the runtime: drafts must work too, and loading a running
 * experiment into the runtime records an allocation epoch, while a preview writes nothing.
 */
function withoutJs(variant: ServedVariant): ServedVariant {
  const content = variant.content as Record<string, unknown> | null;
  if (!content || content.js === undefined) return variant;
  const { js, ...rest } = content;
  return { ...variant, content: rest };
}

export function createPreviewService(store: Pick<TrackerStore, 'previewCombination'>, tokens: PreviewTokens) {
  return {
    async preview(input: PreviewBody): Promise<AssignResponse> {
      const { experimentId, combinationId } = tokens.verify(input.token);
      const found = await store.previewCombination(experimentId, combinationId);
      if (!found) throw new AppError('TRACKER_EXPERIMENT_001');
      if (!found.variants) throw new AppError('TRACKER_PREVIEW_002');
      return {
        experiment_id: experimentId,
        browser_id: 'preview',
        eligible: false,
        reason: 'preview',
        combination_id: combinationId,
        // Custom JavaScript only where the owner allows it. Assign serves content as stored, since a
        // variant can only hold js while allow_custom_js is on (structure.ts; switching it off is
        // refused while a variant has some); checked again here all the same, as a link forces its
        // variant onto whoever opens it.
        variants: found.allow_custom_js ? found.variants : found.variants.map(withoutJs),
      };
    },
  };
}

export type PreviewService = ReturnType<typeof createPreviewService>;
