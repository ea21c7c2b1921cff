// Type declarations of retention-wasm (hand-written, checked with tsc).

/** An instant: a Date, milliseconds since 1970-01-01T00:00:00Z, or an ISO 8601
 * string (`2024-03-01` is midnight UTC; a date-time needs `Z` or an offset). */
export type Instant = Date | number | string;
/** A calendar period code: `week` is the ISO week (from Monday), `week_sun` etc. start on that day. */
export type Period =
  | 'day' | 'week' | 'week_tue' | 'week_wed' | 'week_thu' | 'week_fri' | 'week_sat' | 'week_sun'
  | 'month' | 'quarter' | 'year';

/** An instant in a result: RFC 3339 UTC text, e.g. `"2024-03-01T00:00:00Z"`
 * (fractional seconds only when not zero); `new Date(s)` reads it, and it is
 * accepted wherever an {@link Instant} is. */
export type InstantText = string;

/** A customer id: a safe integer or a string (one kind per log). */
export type CustomerId = number | string;

export type EventType =
  | 'signup' | 'order' | 'refund' | 'session' | 'email_open' | 'email_click'
  | 'support_ticket' | 'survey' | 'referral' | 'subscription'
  | 'points_earned' | 'points_redeemed';

/** Event type names in the order of their numeric codes (for `Uint8Array` type columns). */
export const EVENT_TYPES: readonly EventType[];

export type Severity = 'minor' | 'major' | 'critical';
export type SurveyKind = 'nps' | 'csat' | 'ces' | 'loyalty_recommend' | 'loyalty_repurchase' | 'loyalty_other_products';
export type SubscriptionChange = 'new' | 'expansion' | 'contraction' | 'churn' | 'reactivation';

/** One event. `type` defaults to `"order"`. Field use per type:
 * order: amount (required), items; refund: amount; support_ticket: detail
 * (severity), resolved; survey: score, detail (survey kind); referral: detail
 * (referred id); subscription: amount (signed MRR change), detail (change);
 * points_earned / points_redeemed: amount (points). */
export interface EventInput {
  customer: CustomerId;
  timestamp: Instant;
  type?: EventType | null;
  amount?: number | null;
  items?: number | null;
  score?: number | null;
  detail?: Severity | SurveyKind | SubscriptionChange | CustomerId | null;
  resolved?: boolean | null;
}

type NumberColumn = Float64Array | Float32Array | Int32Array | Uint32Array | ArrayLike<number | null | undefined>;

/** Columns of equal length. Typed arrays are the fast path; in `Float64Array`
 * numeric columns NaN means "no value". */
export interface EventColumnsInput {
  customer: Float64Array | Int32Array | Uint32Array | ArrayLike<CustomerId>;
  timestamp: Float64Array | ArrayLike<Instant>;
  /** Names, or codes into EVENT_TYPES as a Uint8Array. */
  type?: Uint8Array | ArrayLike<EventType | null | undefined>;
  amount?: NumberColumn;
  items?: ArrayLike<number | null | undefined>;
  score?: NumberColumn;
  detail?: ArrayLike<string | number | null | undefined>;
  resolved?: ArrayLike<boolean | null | undefined>;
}

export interface LogOptions {
  /** Exact duplicate rows: keep (default), drop (keep the first) or reject. */
  duplicates?: 'keep' | 'drop' | 'reject';
}

export type IssueKind =
  | 'not_finite' | 'negative' | 'out_of_range' | 'not_integer' | 'missing' | 'unparseable'
  | 'unknown_kind' | 'after_as_of' | 'duplicate' | 'not_applicable' | 'inconsistent' | 'invalid';

/** One rejected input value. */
export interface RowIssue {
  row: number;
  field: string;
  value: string;
  kind: IssueKind;
  message: string;
}

export type ErrorCode =
  | 'invalid_rows' | 'length_mismatch' | 'empty_input' | 'invalid_parameter'
  | 'unknown_customer' | 'insufficient_points' | 'singular_matrix' | 'not_converged'
  | 'fit_not_converged' | 'non_finite_result' | 'unknown_code'
  | 'invalid_input' | 'not_initialized' | 'error';

/** Every failure of the package is a RetentionError. */
export class RetentionError extends Error {
  constructor(code: ErrorCode, message: string, details?: { field?: string | null; row?: number | null; value?: string | null; issues?: RowIssue[] });
  readonly name: 'RetentionError';
  /** What went wrong, e.g. `invalid_rows`, `invalid_parameter`, `invalid_input`. */
  code: ErrorCode;
  /** The offending field or parameter. */
  field: string | null;
  /** The offending input row (first one for `invalid_rows`). */
  row: number | null;
  /** The offending value, as text. */
  value: string | null;
  /** Every rejected row value (for `invalid_rows`), in row order. */
  issues: RowIssue[];
  /** The accepted codes (for `unknown_code`). */
  accepted?: string[];
}

/** Loads the WebAssembly module; await it once before anything else. In node
 * the .wasm file is read from the package; in browsers it is fetched next to
 * the module unless `input` is given. */
export function init(input?: URL | string | Response | BufferSource | WebAssembly.Module): Promise<void>;
/** Synchronous initialisation from the module's bytes or a compiled module. */
export function initSync(module: BufferSource | WebAssembly.Module): void;
export function version(): string;

/** Every vocabulary of codes, by name (e.g. `retention_mode` → `['return_on', 'return_on_or_after']`). */
export function vocabulary(): Readonly<Record<string, readonly string[]>>;
/** The default of every option as the core defines it, by option group (camelCase keys). */
export function defaults(): Record<string, any>;

/** A validated, columnar event log held in wasm memory (ordered by customer, then time). */
export class EventLog {
  private constructor();
  static fromEvents(events: readonly EventInput[], options?: LogOptions): EventLog;
  static fromColumns(columns: EventColumnsInput, options?: LogOptions): EventLog;
  readonly length: number;
  readonly duplicatesDropped: number;
  customers(): CustomerId[];
  toColumns(): { customer: CustomerId[]; timestamp: Float64Array; type: EventType[]; value: Float64Array };
  /** Releases the wasm memory; the log is unusable afterwards. */
  free(): void;
}

/** Per-customer summaries: the core's summary table, one column per key, in
 * customer order. Per-customer results follow one rule per column type:
 * numbers and counts are Float64Arrays (NaN when absent), instants are
 * milliseconds since the epoch (NaN when absent). */
export interface SummaryColumns {
  customerId: CustomerId[];
  firstOrder: Float64Array;
  lastOrder: Float64Array;
  orders: Float64Array;
  refundCount: Float64Array;
  revenue: Float64Array;
  refunds: Float64Array;
  netRevenue: Float64Array;
  firstSeen: Float64Array;
  lastSeen: Float64Array;
  /** Days from the first to the last order (NaN without orders). */
  lifespanDays: Float64Array;
}
export function summaries(log: EventLog): SummaryColumns;

export interface RfmThresholds {
  recency: number[];
  frequency: number[];
  monetary: number[];
}

/** A segment rule: `pattern` is R then F (optionally M) score, each a digit or `[a-b]`. */
export interface SegmentRule {
  name: string;
  pattern: string;
}

export interface RfmOptions {
  /** Number of score levels, 2..=9 (default 5). */
  bins?: number;
  frequency?: 'orders' | 'order_days';
  monetary?: 'total' | 'mean';
  /** Fixed cut points (bins − 1 ascending per dimension) instead of quantile bins. */
  thresholds?: RfmThresholds;
  /** Segment rules, first match wins (default: the standard RFM table). */
  segments?: SegmentRule[];
}

export interface SegmentSize {
  name: string;
  customers: number;
}

/** RFM per customer; scores 1..bins with 0 (and NaN values) for customers without orders. */
export interface RfmResult {
  customerId: CustomerId[];
  recencyDays: Float64Array;
  frequency: Float64Array;
  monetary: Float64Array;
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  segment: string[];
  /** The cut points used (for quantile bins: the largest value of bins 1..bins−1). */
  thresholds: RfmThresholds;
  segmentSizes: SegmentSize[];
}
export function rfm(log: EventLog, options: RfmOptions & { asOf: Instant }): RfmResult;
export function defaultSegments(): SegmentRule[];

export type LifecycleStage = 'prospect' | 'new' | 'active' | 'at_risk' | 'lapsed' | 'reactivated' | 'loyal';

export interface LifecycleOptions {
  newWindowDays?: number;
  atRiskGapMultiple?: number;
  inactiveAfterDays?: number;
  churnWindowDays?: number;
  loyalOrders?: number;
}

export interface LifecycleColumns {
  customerId: CustomerId[];
  stage: LifecycleStage[];
  daysSinceLastOrder: Float64Array;
  typicalGapDays: Float64Array;
  /** More than `inactiveAfterDays` days without an order. */
  inactiveWarning: boolean[];
}
export function lifecycleStages(log: EventLog, options: LifecycleOptions & { asOf: Instant }): LifecycleColumns;

export interface HealthWeights {
  recency?: number;
  frequencyTrend?: number;
  spendTrend?: number;
  engagement?: number;
  tickets?: number;
  satisfaction?: number;
}

/** Health score and traffic-light settings. */
export interface RiskOptions {
  weights?: HealthWeights;
  /** Trend window in days (default 90). */
  windowDays?: number;
  /** Usual gap assumed with a single order day (default 30). */
  defaultGapDays?: number;
  /** Reasons reported (default 3). */
  maxReasons?: number;
  /** Risk at or above which the light is at least amber (default 0.33). */
  amber?: number;
  /** Risk above which the light is red (default 0.66). */
  red?: number;
}

export type Light = 'green' | 'amber' | 'red';

export interface TrafficLightColumns {
  customerId: CustomerId[];
  /** Health-score risk in [0, 1]. */
  risk: Float64Array;
  /** The health score's reasons. */
  reasons: string[][];
  light: Light[];
  /** Why the light: the risk line, the score's reasons, then open tickets. */
  lightReasons: string[][];
  /** How many customers have each colour. */
  counts: { green: number; amber: number; red: number };
}
export function trafficLights(log: EventLog, options: RiskOptions & { asOf: Instant }): TrafficLightColumns;

export interface TrafficLight {
  light: Light;
  risk: number;
  reasons: string[];
}

export interface TrafficLightOptions {
  source?: 'health_score' | 'probability_alive' | 'supervised';
  reasons?: string[];
  openCriticalTickets?: number;
  openOtherTickets?: number;
  amber?: number;
  red?: number;
}
export function trafficLight(risk: number, options?: TrafficLightOptions): TrafficLight;

export interface Tier {
  name: string;
  /** Smallest basis value (spend, points earned or orders) of the tier; the first must be 0. */
  threshold: number;
  /** Earn-rate multiplier (default 1). */
  multiplier?: number;
  /** Points given once on first reaching the tier (default 0). */
  entryPoints?: number;
}

export interface Reward {
  name: string;
  /** Points it costs (> 0). */
  points: number;
}

export interface LoyaltyOptions {
  pointsPerUnit?: number;
  welcomePoints?: number;
  /** Points for the referrer, once per referred person (default 250). */
  referralBonus?: number;
  /** Points for the referred person (default 0). */
  refereeBonus?: number;
  /** Days until points expire; null = never (default 365). */
  expiryDays?: number | null;
  /** Days without earning or redeeming until the whole balance expires; null = never (default). */
  inactivityDays?: number | null;
  /** Default 'spend'; 'points_earned' never drops on redemption. */
  tierBasis?: 'spend' | 'points_earned' | 'order_count';
  /** Default 'rolling' (termDays, default 365). */
  tierTerm?: 'rolling' | 'calendar_year' | 'lifetime';
  termDays?: number;
  /** Days a tier is kept after falling below its threshold (default 0). */
  graceDays?: number;
  /** Default: Bronze 0, Silver 500, Gold 1500, Platinum 5000. */
  tiers?: Tier[];
  /** Ways to redeem, listed by loyaltyProgramme. */
  rewards?: Reward[];
}

export interface WayToEarn {
  action: 'signup' | 'order' | 'referral' | 'referred' | 'tier_entry';
  /** Per currency unit for orders, else per action. */
  points: number;
  perUnit: boolean;
  tier: string | null;
}

export interface ProgrammeRules {
  earn: WayToEarn[];
  redeem: Reward[];
  tiers: Required<Tier>[];
  tierBasis: 'spend' | 'points_earned' | 'order_count';
  tierTerm: 'rolling' | 'calendar_year' | 'lifetime';
  termDays: number;
  graceDays: number;
  expiryDays: number | null;
  inactivityDays: number | null;
}

export function loyaltyProgramme(loyalty?: LoyaltyOptions): ProgrammeRules;

export interface NextTier {
  index: number;
  name: string;
  threshold: number;
  /** Spend (or points) still missing. */
  missing: number;
  /** Fraction of the current tier band done, in [0, 1). */
  fraction: number;
}

export interface TierStatus {
  index: number;
  name: string;
  multiplier: number;
  /** The basis over the term: net spend, points earned or orders. */
  value: number;
  /** null at the top tier. */
  next: NextTier | null;
  /** When a tier kept in its grace period is lost (RFC 3339), else null. */
  downgradeAt: string | null;
}
export function tierForValue(value: number, loyalty?: LoyaltyOptions): TierStatus;
export function tierStatus(log: EventLog, customer: CustomerId, options: { asOf: Instant; loyalty?: LoyaltyOptions }): TierStatus;

export interface LedgerEntry {
  /** When (for expiries: the expiry instant). */
  time: InstantText;
  kind: 'welcome' | 'order' | 'referral' | 'credit' | 'redemption' | 'expiry';
  /** Signed change of the balance. */
  points: number;
  /** Balance after the change. */
  balance: number;
  /** Input row of the event, if the entry comes from one. */
  row: number | null;
  /** For orders: the index of the tier whose multiplier applied. */
  tier: number | null;
}

export interface PointsLedger {
  customer: CustomerId;
  /** The instant the ledger describes. */
  asOf: InstantText;
  balance: number;
  earned: number;
  redeemed: number;
  expired: number;
  /** [instant, points] of the next expiry, or null. */
  nextExpiry: [InstantText, number] | null;
  entries: LedgerEntry[];
}
export function pointsLedger(log: EventLog, customer: CustomerId, options: { asOf: Instant; loyalty?: LoyaltyOptions }): PointsLedger;

/** The numbers behind one component's risk, keyed by their kind. */
export type HealthComponentDetail =
  | { recency: { daysSinceLastOrder: number; usualGapDays: number | null } }
  | { trend: { previous: number; last: number; windowDays: number } }
  | { tickets: { critical: number; major: number; minor: number } }
  | { nps: { score: number } }
  | { csat: { score: number } };

export interface HealthComponent {
  component: 'recency' | 'frequency_trend' | 'spend_trend' | 'engagement' | 'tickets' | 'satisfaction';
  risk: number;
  weight: number;
  contribution: number;
  detail: HealthComponentDetail;
  /** The detail in plain words. */
  reason: string;
}

export interface HealthScore {
  risk: number;
  components: HealthComponent[];
  reasons: string[];
}

export interface LifecycleStatus {
  stage: LifecycleStage;
  /** Display label, e.g. "At Risk". */
  label: string;
  daysSinceLastOrder: number | null;
  typicalGapDays: number | null;
  inactiveWarning: boolean;
}

export interface ShopperRfm {
  recencyDays: number | null;
  frequency: number | null;
  monetary: number | null;
  r: number | null;
  f: number | null;
  m: number | null;
  segment: string;
}

export interface ShopperViewOptions {
  asOf: Instant;
  loyalty?: LoyaltyOptions;
  risk?: RiskOptions;
  lifecycle?: LifecycleOptions;
  /** With fixed `thresholds` (e.g. a merchant-wide run's), the shopper's RFM segment. */
  rfm?: RfmOptions;
}

export interface ShopperView {
  customer: CustomerId;
  tier: TierStatus;
  points: number;
  health: HealthScore;
  light: TrafficLight;
  lifecycle: LifecycleStatus;
  rfm: ShopperRfm | null;
}
export function shopperView(log: EventLog, customer: CustomerId, options: ShopperViewOptions): ShopperView;

export interface CohortOptions {
  /** Calendar period of the cohorts and ages (default month; weeks start on Monday). */
  period?: Period;
  utcOffsetSeconds?: number;
  /** IANA time zone name (e.g. 'America/New_York'); the dashboard module only (the storefront module throws). */
  timeZone?: string;
  /** Retained at age k: an order in period c + k (default), or in any period from c + k on. */
  mode?: 'return_on' | 'return_on_or_after';
  qualifying?: 'orders' | 'any_activity';
  revenue?: 'net' | 'gross';
  maxAge?: number | null;
}

/** Rows are cohorts, columns ages; null marks cells whose period is not complete. */
export interface CohortMatrix {
  /** The calendar whose periods are the ages. */
  calendar: { period: Period; utcOffsetSeconds: number; zone?: string };
  mode: 'return_on' | 'return_on_or_after';
  labels: string[];
  /** Calendar period index of each cohort (null for labelled cohorts). */
  periods: (number | null)[];
  /** Members with at least one order. */
  sizes: number[];
  /** Labelled members without any order, left out of the cells (0 for acquisition cohorts). */
  unanchored: number[];
  /** Eligible members per cell (0 for cells that are not complete). */
  eligible: number[][];
  /** Retained members per cell (the numerator of the retention). */
  retained: number[][];
  retention: (number | null)[][];
  churn: (number | null)[][];
  revenue: (number | null)[][];
  ltv: (number | null)[][];
  /** First instant of each cohort's period (null for labelled cohorts). */
  periodStarts: (InstantText | null)[];
}
export function cohorts(log: EventLog, options: CohortOptions & { asOf: Instant }): CohortMatrix;

export interface ChurnSurvivalOptions {
  /** What a life is: orders (default; churned after `inactiveDays` without one) or subscriptions (MRR back to 0). */
  basis?: 'orders' | 'subscriptions';
  /** Orders basis only (default 90). */
  inactiveDays?: number | null;
  /** Significance level of the bounds (default 0.05). */
  alpha?: number;
  /** How the pointwise bounds are built: `log_log` (exponential Greenwood, the default, as lifelines) or `linear`. */
  transform?: 'log_log' | 'linear';
}

/** The share of customers still alive `timeline[i]` days into their life, with its bounds and the life table. */
export interface ChurnSurvival {
  timeline: Float64Array;
  survival: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  atRisk: Float64Array;
  observed: Float64Array;
  censored: Float64Array;
  /** Customers with a start of life (an order, or a subscription). */
  customers: number;
  /** Of them, those whose churn was observed. */
  churned: number;
  /** Days until half have churned; null if the curve stays above one half. */
  medianDays: number | null;
  /** Days at which the lower and upper bounds reach one half (null if never). */
  medianBounds: [number | null, number | null];
}


export interface SampleOptions {
  seed?: number;
  customers?: number;
  months?: number;
  asOf?: Instant;
}
export function sampleLog(options?: SampleOptions): EventLog;
export function sampleAsOf(): Date;

// ---------------------------------------------------------------------------
// Buy-till-you-die models. Times (recency, T, t) are in the unit of the data
// the parameters were fitted on (e.g. weeks for the published CDNOW values).

export interface BgNbdModel { model: 'bg_nbd'; r: number; alpha: number; a: number; b: number }
export interface MbgNbdModel { model: 'mbg_nbd'; r: number; alpha: number; a: number; b: number }
export interface ParetoNbdModel { model: 'pareto_nbd'; r: number; alpha: number; s: number; beta: number }
/** GGompertz/NBD (Bemmaor & Glady 2012): Gompertz lifetimes with scale `b` (per time unit) and `η ~ Gamma(s, beta)`. */
export interface GgomNbdModel { model: 'ggom_nbd'; r: number; alpha: number; b: number; s: number; beta: number }
/** Parameters of a transaction model, e.g. `{ model: 'bg_nbd', r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 }`
 * or the `params` of a fit. */
export type TransactionModel = BgNbdModel | MbgNbdModel | ParetoNbdModel | GgomNbdModel;
/** Gamma-Gamma spend model parameters. */
export interface GammaGammaModel { p: number; q: number; gamma: number }

type Column = Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array | readonly number[];

/** One customer's history: repeat purchases `frequency` (x), time of the last
 * repeat purchase since the first `recency` (tₓ), and age `T` since the first purchase. */
export interface CustomerHistory { frequency: number; recency: number; T: number }
/** The same as columns, one value per customer (modelInput's result fits). */
export interface HistoryColumns {
  customerId?: CustomerId[];
  frequency: Column;
  recency: Column;
  T: Column;
  monetaryValue?: Column;
  weights?: Column;
}
export interface SpendHistory { frequency: number; monetaryValue: number }
export interface SpendColumns {
  customerId?: CustomerId[];
  frequency: Column;
  monetaryValue: Column;
  recency?: Column;
  T?: Column;
  weights?: Column;
}

export function probabilityAlive(model: TransactionModel, history: CustomerHistory): number;
export function probabilityAlive(model: TransactionModel, history: HistoryColumns): Float64Array;
export function expectedPurchases(model: TransactionModel, t: number): number;
export function expectedPurchases(model: TransactionModel, t: Column): Float64Array;
export function conditionalExpectedPurchases(model: TransactionModel, t: number, history: CustomerHistory): number;
export function conditionalExpectedPurchases(model: TransactionModel, t: number, history: HistoryColumns): Float64Array;
export function expectedAverageSpend(spend: GammaGammaModel, history: SpendHistory): number;
export function expectedAverageSpend(spend: GammaGammaModel, history: SpendColumns): Float64Array;
export function populationAverageSpend(spend: GammaGammaModel): number;

export interface ClvOptions {
  /** Horizon in months (default 12). */
  horizonMonths?: number;
  /** Monthly discount rate (default 0.01). */
  monthlyDiscountRate?: number;
  /** Time unit the transaction model was fitted in (default days; weeks = 4.345 per month, as lifetimes). */
  timeUnit?: 'hour' | 'day' | 'week' | 'month';
  /** Or a unit of this many days (30 / unitDays units per month). */
  unitDays?: number;
}
export function predictiveClv(model: TransactionModel, spend: GammaGammaModel, history: CustomerHistory & { monetaryValue: number }, options?: ClvOptions): number;
export function predictiveClv(model: TransactionModel, spend: GammaGammaModel, history: HistoryColumns & { monetaryValue: Column }, options?: ClvOptions): Float64Array;

export interface FitOptions {
  /** L2 penalty on the parameters (lifetimes' penalizer_coef; default 0). */
  penalizerCoef?: number;
  /** First starting point, natural parameters in the model's order. */
  initialParams?: number[];
  /** Gradient tolerance (default 1e-8). */
  tolerance?: number;
  /** Iterations per optimiser run (default 500). */
  maxIterations?: number;
}

export interface FitResult<P> {
  /** The estimates; pass them to the prediction functions. */
  params: P;
  logLikelihood: number;
  /** Parameter names, in the order of `standardErrors` and `covariance`. */
  parameterNames: string[];
  /** Standard errors in the order of `parameterNames`; null when the Hessian is not positive definite. */
  standardErrors: number[] | null;
  /** Covariance matrix, row-major k × k; null with the standard errors. */
  covariance: number[] | null;
  rows: number;
  totalWeight: number;
  penalizerCoef: number;
  /** The minimised objective (mean penalised negative log-likelihood). */
  objective: number;
  method: 'bfgs' | 'nelder_mead_then_bfgs';
  iterations: number;
  attempts: number;
}
export interface FitData { customerId?: CustomerId[]; frequency: Column; recency: Column; T: Column; monetaryValue?: Column; weights?: Column }
export function fitBgNbd(data: FitData, options?: FitOptions): FitResult<BgNbdModel>;
export function fitMbgNbd(data: FitData, options?: FitOptions): FitResult<MbgNbdModel>;
export function fitParetoNbd(data: FitData, options?: FitOptions): FitResult<ParetoNbdModel>;
/** Fits GGompertz/NBD by maximum likelihood. */
export function fitGgomNbd(data: FitData, options?: FitOptions): FitResult<GgomNbdModel>;
export function fitGammaGamma(data: SpendColumns, options?: FitOptions): FitResult<GammaGammaModel>;

export interface ModelInputOptions {
  /** Last instant observed (inclusive at day resolution). */
  observationEnd: Instant;
  /** Purchase periods (default day; weeks run Monday–Sunday; hour, minute
   * and second count periods of the UTC order instants, the end inclusive at
   * that resolution). */
  unit?: 'day' | 'week' | 'month' | 'hour' | 'minute' | 'second';
  /** Divides recency and T (e.g. unit day with multiplier 7 gives weeks). */
  multiplier?: number;
  /** Include the first period's spend in monetaryValue (default false). */
  includeFirst?: boolean;
  /** Orders after observationEnd: an error naming them (default), left out after the end's day, or counted to the end of the end's week or month ('end_period', lifetimes' rule). */
  afterEnd?: 'reject' | 'ignore' | 'end_period';
}
export interface ModelInputColumns {
  customerId: CustomerId[];
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** Mean spend per repeat period (0 without repeats). */
  monetaryValue: Float64Array;
}
export function modelInput(log: EventLog, options: ModelInputOptions): ModelInputColumns;

// ---------------------------------------------------------------------------
// Descriptive and survey metrics. Rates are fractions; null when undefined.

/** A window [start, end). */
export interface WindowOptions { start: Instant; end: Instant }

export function customerRetentionRate(counts: { start: number; end: number; new: number }): number | null;
export function churnRate(counts: { lost: number; start: number }): number | null;

export interface ActivityOptions {
  /** Trailing order window that makes a customer active (default 90 days). */
  windowDays?: number;
  /** Orders (default) or subscriptions (MRR > 0). */
  basis?: 'orders' | 'subscriptions';
}
export interface PeriodActivity {
  /** First instant of the period. */
  start: InstantText;
  /** End of the period (exclusive). */
  end: InstantText;
  startCount: number;
  endCount: number;
  retained: number;
  joined: number;
  new: number;
  lost: number;
  lostIncludingNew: number;
  retentionRate: number | null;
  churnRate: number | null;
  churnRateIncludingNew: number | null;
}
export function periodActivity(log: EventLog, options: WindowOptions & ActivityOptions): PeriodActivity;

export interface OrderStats {
  customers: number;
  repeatCustomers: number;
  orders: number;
  revenue: number;
  repeatPurchaseRate: number | null;
  purchaseFrequency: number | null;
  averageOrderValue: number | null;
}
export function orderStats(log: EventLog, options: WindowOptions): OrderStats;

export interface MrrFigures {
  starting: number;
  new: number;
  expansion: number;
  contraction: number;
  churned: number;
  reactivation: number;
  ending: number;
}
export interface MrrBridge extends MrrFigures {
  grossMrrChurn: number | null;
  netMrrChurn: number | null;
  netRevenueRetention: number | null;
  grossRevenueRetention: number | null;
  quickRatio: number | null;
}
export function mrrBridge(log: EventLog, options: WindowOptions): MrrBridge;
export function mrrRatios(figures: Partial<MrrFigures>): MrrBridge;

export interface Nps { promoters: number; passives: number; detractors: number; respondents: number; score: number }
export interface Csat { respondents: number; satisfied: number; threshold: number; score: number; mean: number }
export interface Ces { respondents: number; total: number; mean: number; score: number }
export function nps(answers: Column): Nps;
export function csat(answers: Column, options?: { scale?: number; satisfiedThreshold?: number }): Csat;
export function ces(answers: Column, options: { choices: number }): Ces;
export function customerLoyaltyIndex(answers: { recommend: Column; repurchase: Column; otherProducts: Column }): number;
export function surveyAnswers(log: EventLog, options: WindowOptions & { kind: SurveyKind }): Float64Array;

// --- predictions beyond calibration and intervals ---

export function probabilityAliveAt(model: TransactionModel, tau: number, history: CustomerHistory): number;
export function probabilityAliveAt(model: TransactionModel, tau: number, history: HistoryColumns): Float64Array;
export function probabilityAliveGivenNoPurchase(model: TransactionModel, tau: number, history: CustomerHistory): number;
export function probabilityAliveGivenNoPurchase(model: TransactionModel, tau: number, history: HistoryColumns): Float64Array;
/** P(exactly n purchases in the next t); n ≤ 100000. */
export function conditionalProbabilityOfPurchases(model: TransactionModel, n: number, t: number, history: CustomerHistory): number;
export function conditionalProbabilityOfPurchases(model: TransactionModel, n: number, t: number, history: HistoryColumns): Float64Array;
/** Discounted expected residual transactions at a continuous rate per time unit (> 0). */
export function dert(model: TransactionModel, discountRate: number, history: CustomerHistory): number;
export function dert(model: TransactionModel, discountRate: number, history: HistoryColumns): Float64Array;

export interface NextPurchase {
  probabilityAlive: number;
  /** P(at least one purchase within the horizon), dead customers included. */
  probabilityOfPurchase: number;
  /** Mean wait of a customer alive now who stays alive until then; null when infinite (r + x ≤ 1). */
  meanWaitIfAlive: number | null;
  medianWaitIfAlive: number;
}
export function nextPurchase(model: TransactionModel, t: number, history: CustomerHistory): NextPurchase;
export function nextPurchase(model: TransactionModel, t: number, history: HistoryColumns): NextPurchase[];

export type Prediction =
  | { prediction: 'probability_alive' }
  | { prediction: 'probability_alive_at'; tau: number }
  | { prediction: 'conditional_expected_purchases'; t: number }
  | { prediction: 'dert'; discountRate: number };
export interface IntervalOptions {
  /** Coverage in (0, 1) (default 0.95). */
  level?: number;
  /** Delta method (default) or parametric bootstrap. */
  method?: 'delta' | 'bootstrap';
  /** Bootstrap draws, 2 to 10000 (default 1000); draws × rows ≤ 10 million. */
  draws?: number;
  /** Bootstrap seed (default 0). */
  seed?: number;
}
export interface PredictionInterval { estimate: number; standardError: number; lower: number; upper: number }
export function predictionIntervals<P extends TransactionModel>(fit: FitResult<P>, prediction: Prediction, history: CustomerHistory, options?: IntervalOptions): PredictionInterval;
export function predictionIntervals<P extends TransactionModel>(fit: FitResult<P>, prediction: Prediction, history: HistoryColumns, options?: IntervalOptions): PredictionInterval[];
export function predictiveClvIntervals<P extends TransactionModel>(fit: FitResult<P>, spendFit: FitResult<GammaGammaModel>, history: CustomerHistory & { monetaryValue: number }, clvOptions?: ClvOptions, options?: IntervalOptions): PredictionInterval;
export function predictiveClvIntervals<P extends TransactionModel>(fit: FitResult<P>, spendFit: FitResult<GammaGammaModel>, history: HistoryColumns & { monetaryValue: Column }, clvOptions?: ClvOptions, options?: IntervalOptions): PredictionInterval[];
