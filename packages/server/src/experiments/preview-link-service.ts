import { AppError } from '../errors/app-error.js';
import type { PreviewLink, PreviewLinks } from './experiment-schemas.js';
import type { RunAsUser } from './experiment-service.js';
import type { ExperimentStructure } from './experiment-store.js';
import type { PreviewTokens } from './preview-token.js';

/** The query parameter the SDK reads a preview token from (packages/sdk/src/preview.ts). */
export const PREVIEW_PARAMETER = 'samplit_preview';

/** `url` with the token added to its query (its hash kept); null without a url to add it to. */
export function previewUrl(url: string | null, token: string): string | null {
  if (!url) return null;
  try {
    const target = new URL(url);
    target.searchParams.set(PREVIEW_PARAMETER, token);
    return target.href;
  } catch {
    return null;
  }
}

/** "CTA Button: B · Hero Copy: Y"; with one element (an A/B or split test) the variant's name alone. */
function label(structure: ExperimentStructure, variantIds: string[]): string {
  const names = variantIds.map((vid) => {
    const element = structure.elements.find((e) => e.variants.some((v) => v.id === vid));
    const variant = element?.variants.find((v) => v.id === vid);
    return { element: element?.name ?? '?', variant: variant?.name ?? '?' };
  });
  if (names.length === 1) return names[0].variant;
  return names.map((n) => `${n.element}: ${n.variant}`).join(' · ');
}

/**
 * Preview links: one signed token per combination of the owner's experiment, in any status. The
 * token only names the combination; the tracker reads what it shows when the link is opened, so
 * a link keeps showing the combination's current content (and fails once a draft's edit has
 * replaced its combinations).
 */
export function createPreviewLinkService(runAs: RunAsUser, tokens: PreviewTokens) {
  return {
    async list(userId: string, id: string): Promise<PreviewLinks> {
      const { row, structure } = await runAs(userId, async (store) => {
        const found = await store.find(userId, id);
        // Another user's experiment is indistinguishable from a missing one.
        if (!found) throw new AppError('EXP_FIND_001');
        return { row: found, structure: await store.loadStructure(id) };
      });
      const items = structure.combinations.map((c): PreviewLink => {
        const token = tokens.issue({ experimentId: row.id, combinationId: c.id });
        return {
          combination_id: c.id,
          variant_ids: c.variant_ids,
          label: label(structure, c.variant_ids),
          token,
          url: previewUrl(row.url, token),
        };
      });
      return { expires_in: tokens.expiresInSeconds, items };
    },
  };
}

export type PreviewLinkService = ReturnType<typeof createPreviewLinkService>;
