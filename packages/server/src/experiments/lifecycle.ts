import type { ExperimentStatus } from './experiment-schemas.js';

export type LifecycleAction = 'start' | 'pause' | 'resume' | 'complete';

/** draft → running ⇄ paused → completed; nothing else (docs/architecture.md#lifecycle). */
export const TRANSITIONS: Record<LifecycleAction, { from: ExperimentStatus[]; to: ExperimentStatus }> = {
  start: { from: ['draft'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  complete: { from: ['running', 'paused'], to: 'completed' },
};
