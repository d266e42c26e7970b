export { applyContent } from './apply-content.js';
export { createSamplit, Samplit, type SamplitOptions } from './client.js';
export type { ConvertResult, QueuedConversion } from './conversion-queue.js';
export { ID_KEY } from './identity.js';
export { redirectTarget } from './redirect.js';
export type { FetchLike } from './transport.js';
export type {
  AssignContext,
  AssignedVariant,
  Assignment,
  AssignRequest,
  ConvertBody,
  GoalDefinition,
  VariantContent,
} from './types.js';
