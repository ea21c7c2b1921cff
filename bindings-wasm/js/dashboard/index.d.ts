// retention-wasm/dashboard: every export of the storefront entry plus the
// dashboard module's own functions.
import type {
  ChurnSurvival, ChurnSurvivalOptions, CustomerId, EventLog, FitData, Instant, Period, TransactionModel,
} from '../index.js';

export * from '../index.js';

/** A numeric column, as the fits take them. */
type Column = FitData['frequency'];

// --- covariates ---
export interface CovariateOptions {
  /** Covariate columns of the purchase process (names of columns of `data`). */
  trans?: string[];
  /** Covariate columns of the attrition process. */
  life?: string[];
  /** L2 penalty on the purchase coefficients (CLVTools' reg.lambdas; default 0). */
  regLambdaTrans?: number;
  /** L2 penalty on the attrition coefficients (default 0). */
  regLambdaLife?: number;
  /** Covariates (in both processes) with one shared coefficient `constr.<name>`. */
  constrained?: string[];
  /** Confidence level of the summary's intervals (default 0.95). */
  level?: number;
  /** Gradient tolerance (default 1e-9). */
  tolerance?: number;
  /** Iterations per optimiser run (default 1000). */
  maxIterations?: number;
}

export interface CovariateFitTable {
  /** Parameter names as CLVTools writes them: r, alpha, s, beta (a, b; b, s, beta), life.X, trans.X, constr.X. */
  name: string[];
  estimate: Float64Array;
  /** NaN when the information matrix is not positive definite. */
  stdError: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  logLikelihood: number;
  aic: number;
  bic: number;
}

/** Fits Pareto/NBD, BG/NBD or GGompertz/NBD with time-invariant covariates (CLVTools' parameterisation); returns the parameter summary. */
export function fitCovariates(
  kind: 'pareto_nbd' | 'bg_nbd' | 'ggom_nbd',
  data: FitData & Record<string, Column | CustomerId[] | undefined>,
  options?: CovariateOptions,
): CovariateFitTable;

export interface SpendCovariateOptions {
  /** Covariate columns of the spend process (names of columns of `data`). */
  spend?: string[];
  /** L2 penalty on their coefficients (default 0). */
  regLambda?: number;
  /** Confidence level of the summary's intervals (default 0.95). */
  level?: number;
  /** Gradient tolerance (default 1e-9). */
  tolerance?: number;
  /** Iterations per optimiser run (default 1000). */
  maxIterations?: number;
}

/** Fits Gamma-Gamma with covariates in the spend process; returns the parameter summary (p, q, gamma, spend.X). */
export function fitGammaGammaCovariates(
  data: { frequency: Column; monetaryValue: Column; weights?: Column } & Record<string, Column | CustomerId[] | undefined>,
  options?: SpendCovariateOptions,
): CovariateFitTable;

// --- evaluation ---
export interface PeriodTransactionsOptions {
  /** First frequency of the open last bucket (default 7, lifetimes' max_frequency; at most 1,000). */
  maxFrequency?: number;
}
export interface PeriodTransactions {
  /** Repeat purchases: 0, 1, …, maxFrequency (the last bucket holds maxFrequency or more). */
  frequency: Float64Array;
  /** Whether the bucket is the open last one. */
  open: boolean[];
  /** Customers observed (total weight). */
  actual: Float64Array;
  /** Customers the model expects: Σ weight · P(X(T) = frequency) (the remaining probability for the open bucket). */
  expected: Float64Array;
}
/** The calibration-period frequency distribution against the model's (lifetimes' plot_period_transactions data). */
export function periodTransactions(model: TransactionModel, data: FitData, options?: PeriodTransactionsOptions): PeriodTransactions;

// --- contractual retention models (sBG, BdW) ---
/** Survivor counts: one array per cohort (subscribers active at ages 0, 1, …), or `{ label: counts }`. */
export type Survivors = ArrayLike<number>[] | Record<string, ArrayLike<number>>;

export interface ContractualFitOptions {
  /** L2 penalty on the parameters (default 0). */
  penalizerCoef?: number;
  /** First starting point (alpha, beta[, c]). */
  initialParams?: number[];
  /** Gradient tolerance (default 1e-8). */
  tolerance?: number;
  /** Iterations per optimiser run (default 500). */
  maxIterations?: number;
}

export interface ContractualParams {
  model: 'sbg' | 'bdw';
  alpha: number;
  beta: number;
  /** Discrete-Weibull shape; 1 for the sBG. */
  c: number;
}

export interface ContractualFit {
  params: ContractualParams;
  logLikelihood: number;
  parameterNames: string[];
  /** null when the observed information is not positive definite. */
  standardErrors: number[] | null;
  covariance: number[] | null;
  rows: number;
  totalWeight: number;
  penalizerCoef: number;
  objective: number;
  method: string;
  iterations: number;
  attempts: number;
}

export interface PredictiveMatrixOptions {
  /** 'sbg' (default) or 'bdw'. */
  model?: 'sbg' | 'bdw';
  /** 'pooled' (default) or 'per_cohort'. */
  pooling?: 'pooled' | 'per_cohort';
  /** Number of age columns (default: the input's largest; at most 100,000). */
  ages?: number | null;
  /** Interval coverage (default 0.9). */
  level?: number;
  /** 'delta' (default) or 'bootstrap'. */
  method?: 'delta' | 'bootstrap';
  /** Bootstrap draws (default 1000, at most 10,000). */
  draws?: number;
  /** Bootstrap seed (default 0). */
  seed?: number;
  /** Fit options. */
  fit?: ContractualFitOptions;
}

export interface PredictiveCohortMatrix {
  labels: string[];
  sizes: number[];
  /** Observed ages of each cohort (its last observed age + 1). */
  observedAges: number[];
  /** Share of each cohort active at each age (rows: cohorts, columns: ages). */
  share: number[][];
  lower: number[][];
  upper: number[][];
  /** Whether each cell is a projection. */
  projected: boolean[][];
  expectedActive: number[][];
  level: number;
  method: 'delta' | 'bootstrap';
  pooling: 'pooled' | 'per_cohort';
  /** One fit when pooled, one per cohort otherwise. */
  fits: ContractualFit[];
}

export interface SurvivorReadOptions {
  /** Calendar period of cohorts and ages (default 'month'). */
  period?: 'day' | 'week' | 'month' | 'quarter' | 'year';
  /** Fixed UTC offset of the calendar in seconds (default 0). */
  utcOffsetSeconds?: number;
  /** Which events show a subscriber active (default 'orders'). */
  qualifying?: 'orders' | 'any_activity';
  /** Largest observed age to read. */
  maxAge?: number | null;
}

/** Fits the sBG or BdW to survivor counts; one fit when pooled, one per cohort otherwise. */
export function fitContractual(
  survivors: Survivors,
  options?: ContractualFitOptions & { model?: 'sbg' | 'bdw'; pooling?: 'pooled' | 'per_cohort' },
): ContractualFit[];
/** The cohort matrix with immature cells projected (prediction intervals) and observed ones kept (Wilson intervals). */
export function predictiveCohortMatrix(survivors: Survivors, options?: PredictiveMatrixOptions): PredictiveCohortMatrix;
/** The predictive cohort matrix straight from an event log. */
export function predictiveCohortMatrixFromLog(
  log: EventLog,
  options: PredictiveMatrixOptions & { asOf: Date | number | string; survivors?: SurvivorReadOptions },
): PredictiveCohortMatrix;
export interface ContractualPredictionOptions {
  /** Number of ages 0..ages (default 36, at most 100,000). */
  ages?: number;
  /** Discount rate per period (default 0.10). */
  discountRate?: number;
  /** Margin per period and subscriber (default 1). */
  margin?: number;
}
export interface ContractualPrediction {
  params: ContractualParams;
  discountRate: number;
  margin: number;
  /** E[T] in periods; null when infinite (c·α ≤ 1). */
  expectedLifetime: number | null;
  /** DEL of a new subscriber (Fader & Hardie 2010). */
  discountedExpectedLifetime: number;
  age: number[];
  /** S(t). */
  survival: number[];
  /** r(t) = S(t)/S(t − 1); null at age 0. */
  retentionRate: (number | null)[];
  /** P(T = t); null at age 0. */
  churnProbability: (number | null)[];
  /** DERL of a subscriber after `age` renewals. */
  discountedExpectedResidualLifetime: number[];
  /** margin × DERL. */
  residualValue: number[];
}
/** Every prediction of a fitted sBG or BdW (a fit or its params) over a horizon, in one result. */
export function predictContractual(
  model: ContractualFit | ContractualParams,
  options?: ContractualPredictionOptions,
): ContractualPrediction;
export interface AlivePathOptions {
  /** Period of the path (default day); the model's parameters must be in this unit. */
  unit?: 'day' | 'week' | 'month' | 'hour' | 'minute' | 'second';
}
/** One customer's P(alive) at each period since her first order (lifetimes' calculate_alive_path; at most 20,000 values). */
export function alivePath(model: TransactionModel, orders: ReadonlyArray<Date | number | string>, periods: number, options?: AlivePathOptions): Float64Array;

export interface Heterogeneity {
  /** 'gamma' (purchase rate; Pareto/NBD and GGompertz/NBD dropout) or 'beta' (BG/NBD dropout probability). */
  distribution: 'gamma' | 'beta';
  mean: number;
  variance: number;
  /** The 99th percentile, the end of the grid. */
  upper: number;
  /** `points` evenly spaced values from 0 to `upper`. */
  x: number[];
  /** Density at each x; null where it is infinite (at 0 when the first shape is below 1). */
  density: (number | null)[];
}
/** A mixing distribution of the model on a grid (lifetimes' rate-heterogeneity plots); 2 to 100,000 points. */
export function heterogeneity(model: TransactionModel, process: 'purchase' | 'dropout', points: number): Heterogeneity;

// --- holdout evaluation of a transaction model ---
export interface TrackingOptions {
  /** Period unit (default day; weeks run Monday–Sunday). */
  unit?: 'day' | 'week' | 'month';
  /** Periods per model time unit (default 1). */
  multiplier?: number;
}
export interface TrackingSeries {
  /** Row number: model time units since the first period, minus one. */
  period: Float64Array;
  /** Start of the last period the row counts (ms since the epoch). */
  periodStart: Float64Array;
  actualCumulative: Float64Array;
  expectedCumulative: Float64Array;
  actualIncremental: Float64Array;
  expectedIncremental: Float64Array;
}
/** Actual and expected repeat transactions over the first `periods` periods of the log's orders. */
export function trackingSeries(model: TransactionModel, log: EventLog, periods: number, options?: TrackingOptions): TrackingSeries;

export interface HoldoutSplit {
  frequencyCal: ArrayLike<number>;
  recencyCal: ArrayLike<number>;
  TCal: ArrayLike<number>;
  frequencyHoldout: ArrayLike<number>;
  /** Holdout length in the model's time unit. */
  durationHoldout: number;
}
export interface HoldoutTableOptions {
  /** Grouping figure (default frequency_cal). */
  groupBy?: 'frequency_cal' | 'recency_cal' | 't_cal' | 'time_since_last_purchase';
  /** Number of groups, ascending by value (default 7). */
  maxGroups?: number;
}
export interface HoldoutTable {
  value: Float64Array;
  customers: Float64Array;
  actualMean: Float64Array;
  expectedMean: Float64Array;
}
/** Mean actual against expected holdout purchases by the distinct values of a calibration figure. */
export function conditionalHoldoutTable(model: TransactionModel, split: HoldoutSplit, options?: HoldoutTableOptions): HoldoutTable;
export interface HoldoutMetrics {
  customers: number;
  actualTotal: number;
  expectedTotal: number;
  /** Mean absolute error of the predicted holdout purchases. */
  mae: number;
  /** Root mean squared error. */
  rmse: number;
  /** Pearson correlation; null when either column is constant. */
  correlation: number | null;
}
/** Customer-level accuracy of the model's holdout predictions. */
export function holdoutMetrics(model: TransactionModel, split: HoldoutSplit): HoldoutMetrics;
/** Mean absolute percentage error over the rows of a cumulative tracking series with actual > 0. */
export function trackingMape(actualCumulative: ArrayLike<number>, expectedCumulative: ArrayLike<number>): number;

// Cohort retention and properties.

/** Values of a property: text (whole numbers read as their decimal text); null: no value. */
export type PropertyValues = Array<string | number | null | undefined>;
/** Sets customer properties in place: ids under `options.customer` (default 'customer'), one array per key. */
export function setCustomerProperties(log: EventLog, data: Record<string, PropertyValues>, options?: { customer?: string }): EventLog;
/** Sets event properties in place: one value per input row of the log for each key. */
export function setEventProperties(log: EventLog, data: Record<string, PropertyValues>): EventLog;
export interface CohortRetentionOptions {
  asOf: string | number | Date;
  /** Calendar of the cohorts (and of the ages without rollingDays); both fields when given. */
  calendar?: { period: 'day' | 'week' | 'month' | 'quarter' | 'year'; utcOffsetSeconds: number };
  start?: 'first_order' | 'signup' | 'first_activity';
  returning?: 'any_order' | 'repeat_order' | 'first_order' | 'any_activity';
  count?: 'recurring' | 'first_time';
  /** Ages as windows of this many days from each customer's start (1 to 36600). */
  rollingDays?: number | null;
  /** Columns as brackets of ages, both ends included. */
  brackets?: Array<{ first: number; last: number }> | null;
  /** Key of the property to break down by. */
  breakdown?: string | null;
  breakdownSource?: 'customer' | 'first_order';
  revenue?: 'net' | 'gross';
  maxAge?: number | null;
  /** Coverage of the Wilson intervals (default 0.95). */
  level?: number;
}
export interface RetentionCell {
  total: boolean;
  breakdown: string | null;
  cohort: string;
  /** First instant of the cohort's period, in microseconds since the epoch. */
  periodStart: number;
  size: number;
  column: string;
  firstAge: number;
  lastAge: number;
  eligible: number;
  retained: number;
  retention: number | null;
  lower: number | null;
  upper: number | null;
  revenue: number | null;
  revenueRetention: number | null;
}
export interface RetentionMeanCell {
  total: boolean;
  breakdown: string | null;
  column: string;
  firstAge: number;
  lastAge: number;
  cohorts: number;
  eligible: number;
  retained: number;
  simpleMean: number | null;
  weightedMean: number | null;
  lower: number | null;
  upper: number | null;
  revenueRetention: number | null;
}
export interface CohortRetention {
  breakdown: string | null;
  columns: Array<{ label: string; firstAge: number; lastAge: number }>;
  level: number;
  unstarted: number;
  cells: RetentionCell[];
  means: RetentionMeanCell[];
}
/** Cohort retention with breakdowns, brackets, rolling windows, mean rows and intervals. */
export function cohortRetention(log: EventLog, options: CohortRetentionOptions): CohortRetention;

// --- lifecycle per period and stickiness ---
export interface PeriodRangeOptions {
  /** The first period is the one containing this instant. */
  start: Instant;
  /** The last period is the one containing this instant (at most 100,000 periods). */
  end: Instant;
  /** Calendar period (default 'month'; 'day' over a month gives DAU/MAU). */
  period?: Period;
  /** IANA time zone name whose local dates (daylight saving included) place each order. */
  timeZone?: string;
  /** Fixed UTC offset instead of a zone (default 0). */
  utcOffsetSeconds?: number;
}
export interface LifecycleCounts {
  /** Start of each period: the UTC instant of its first local midnight (ms since the epoch). */
  periodStart: Float64Array;
  /** First active period ever. */
  new: Float64Array;
  /** Active in this period and the previous one. */
  returning: Float64Array;
  /** Active again after at least one inactive period. */
  resurrecting: Float64Array;
  /** Active in the previous period, not in this one. */
  dormant: Float64Array;
  /** new + returning + resurrecting. */
  active: Float64Array;
}
/** New, returning, resurrecting and dormant customers per period (PostHog's lifecycle). */
export function lifecycleCounts(log: EventLog, options: PeriodRangeOptions): LifecycleCounts;
export interface Stickiness {
  /** Index of the first period. */
  first: number;
  /** Number of periods n. */
  periods: number;
  /** Customers active in at least one period. */
  customers: number;
  /** Entry k − 1: customers active in exactly k of the periods. */
  customersByActivePeriods: number[];
  /** Mean active customers per period. */
  meanActive: number;
  /** meanActive / customers (DAU/MAU-style); null with no active customer. */
  ratio: number | null;
}
/** How many periods of the range each active customer is active in, and the DAU/MAU-style ratio. */
export function stickiness(log: EventLog, options: PeriodRangeOptions): Stickiness;

// --- churn survival ---
/** Kaplan–Meier curve of the customers' time to churn, with bounds, life-table counts and the median. */
export function churnSurvival(log: EventLog, options: ChurnSurvivalOptions & { asOf: Instant }): ChurnSurvival;
