// @samplit/engine — pure bandit policies and Bayesian statistics (no I/O, no clock, seeded RNG).

export { adaptiveSampleRatioMismatch } from './adaptive-srm.js';
export type { AliasTable } from './alias-table.js';
export {
  type Allocation,
  type AllocationOptions,
  type AllocationPhase,
  type Choice,
  choose,
  computeAllocation,
  DEFAULT_BURN_IN,
  DEFAULT_FACTORIAL_DRAWS,
  DEFAULT_MIN_SHARE_OF_UNIFORM,
  FACTORIAL_EXPLORATION_MIN_ARMS,
  POLICY_NAMES,
  type PolicyName,
} from './allocation.js';
export { type BestArm, bestArmProbabilities, probabilitiesToBeatReference } from './best-arm.js';
export { probBBeatsAClosedForm } from './beta-closed-form.js';
export { type ArmComparison, compareArms } from './compare-arms.js';
export {
  type Decision,
  type DecisionArm,
  type DecisionKind,
  type DecisionOptions,
  type DecisionThresholds,
  decide,
  MIN_EVIDENCE_BAYES_FACTOR,
  MIN_LEADER_CONVERSIONS,
  MIN_VISITORS_PER_ARM,
  NO_DIFFERENCE_MAX_RELATIVE_LOSS,
  WINNER_MAX_RELATIVE_LOSS,
  WINNER_PROB_BEST,
} from './decide.js';
export { decideSnapshot } from './decide-snapshot.js';
export { compareDraws, type DrawComparison, drawQuantiles } from './draw-comparison.js';
export { elementEffects } from './element-effects.js';
export {
  type FactorialDesign,
  type FactorialPosterior,
  factorialDesign,
  factorialMeanRates,
  factorialThompsonProbabilities,
  fitFactorial,
} from './factorial-model.js';
export { DIFFERENCE_PRIOR_RELATIVE_SD, heterogeneityLogBayesFactor } from './heterogeneity-bayes-factor.js';
export { hurdleDraws, MEAN_MODEL_DRAWS, MEAN_MODEL_SEED } from './hurdle-draws.js';
export { type HurdlePosterior, hurdleMean, hurdlePosteriors } from './hurdle-posterior.js';
export { TOP_TWO_BETA, topTwoProbabilities } from './policies/top-two.js';
export { posteriorDraws } from './posterior-draws.js';
export { probWorseThanControl } from './prob-worse-than-control.js';
export { createRng, createUniformBlocks, type Rng, type UniformBlocks } from './rng.js';
export { designEffectiveCounts } from './robust-estimates.js';
export { sampleBeta, sampleGamma, sampleNormal } from './sampling.js';
export {
  DEFAULT_LOOKS,
  groupSequentialBoundaries,
  obrienFlemingSpending,
} from './sequential/group-sequential.js';
export { createMsprtTest } from './sequential/msprt-test.js';
export {
  createPairwiseEvidence,
  EFFECT_PRIOR_SD,
  type PairwiseEvidence,
} from './sequential/pairwise-evidence.js';
export {
  createSequentialTest,
  DEFAULT_ALPHA,
  type SequentialTest,
  type SequentialTestOptions,
  type SequentialTestResult,
} from './sequential/sequential-test.js';
export { snapshotSequentialTest, snapshotStrata } from './sequential/snapshot-test.js';
export {
  customScenario,
  fullFactorialLevels,
  getScenario,
  SCENARIO_NAMES,
  type Scenario,
} from './simulator/scenarios.js';
export {
  DEFAULT_CHECK_EVERY,
  DEFAULT_REFRESH_EVERY,
  type RunResult,
  runSimulation,
  type SimulatedRule,
  type SimulationConfig,
  type SimulationReport,
  simulateRun,
  summarizeRuns,
} from './simulator/simulate.js';
export { betaQuantile, incompleteBeta } from './special/incomplete-beta.js';
export { chiSquareSurvival } from './special/incomplete-gamma.js';
export { logBeta, logGamma } from './special/log-gamma.js';
export { normalCdf, normalQuantile } from './special/normal.js';
export { SRM_P_VALUE_THRESHOLD, type SrmResult, sampleRatioMismatch } from './srm.js';
export {
  type ArmResult,
  computeStats,
  type ElementResult,
  type PosteriorSummary,
  type StatsOptions,
  type StatsResult,
  type VariantResult,
} from './stats.js';
export { applyTrafficFloor } from './traffic-floor.js';
export {
  type ArmCounts,
  type BetaPrior,
  DEFAULT_PRIOR,
  type MetricDirection,
  type MetricModel,
  posteriorParameters,
  type Snapshot,
  type Stratum,
} from './types.js';
export { betaUpliftInterval, drawUpliftInterval, relativeUplift } from './uplift-interval.js';
