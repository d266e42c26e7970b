// The API's payload types, as type-only imports of the server's TypeBox schemas (erased from the
// bundle): the dashboard cannot drift from what the API sends.

import type { User as UserSchema } from '@samplit/server/auth-schemas';
import type {
  CreateExperimentBody,
  ExperimentPage as ExperimentPageSchema,
  Experiment as ExperimentSchema,
  PreviewLinks as PreviewLinksSchema,
  UpdateExperimentBody,
} from '@samplit/server/experiment-schemas';
import type { ExperimentStats, Timeseries as TimeseriesSchema } from '@samplit/server/stats-schemas';
import type { ProxyTokenResponse } from '@samplit/server/visual-editor-schemas';
import type { Static } from 'typebox';

export type { CreateExperimentBody, ExperimentStats, UpdateExperimentBody };
/** GET /experiments/{id}: the experiment with its live `stats` (referenced by $ref in the schema). */
export type Experiment = Omit<Static<typeof ExperimentSchema>, 'stats'> & { stats?: ExperimentStats };
export type ExperimentPage = Static<typeof ExperimentPageSchema>;
export type ExperimentSummary = ExperimentPage['items'][number];
export type Timeseries = Static<typeof TimeseriesSchema>;
/** A goal as the API reports it: every field resolved. */
export type GoalDefinition = Experiment['goals'][number];
/** A goal as a request may give it: its key alone (a conversion goal), or a definition. */
export type GoalInput = NonNullable<CreateExperimentBody['goals']>[number];
/** One goal's figures in the stats payload: its definition, totals and per-combination posteriors. */
export type GoalStats = ExperimentStats['goals'][number];
/** GET /experiments/{id}/preview-links: one preview link per combination. */
export type PreviewLinks = Static<typeof PreviewLinksSchema>;
/** POST /visual-editor/token: a token for the editor's page proxy, on the editor origin. */
export type ProxyToken = Static<typeof ProxyTokenResponse>;
/** GET /auth/me: the signed-in user. */
export type User = Static<typeof UserSchema>;
