// Typed usage of the package, checked with `tsc --noEmit` (never run): the
// declarations must accept what users write and type the results exactly.
import {
  init, EventLog, RetentionError, rfm, trafficLights, shopperView, tierForValue,
  summaries, lifecycleStages, pointsLedger, sampleLog, EVENT_TYPES,
  type ShopperView, type RfmResult, type TrafficLightColumns, type Light, type RowIssue,
  probabilityAlive, conditionalExpectedPurchases, expectedPurchases, predictiveClv, fitBgNbd,
  fitParetoNbd, fitGgomNbd, fitGammaGamma, modelInput, periodActivity, orderStats, mrrBridge, mrrRatios, nps,
  csat, ces, customerLoyaltyIndex, customerRetentionRate, churnRate,
  type BgNbdModel, type GgomNbdModel, type FitResult, type TransactionModel, type PeriodActivity, type OrderStats, type CustomerId,
} from 'retention-wasm';
import {
  probabilityAliveAt, probabilityAliveGivenNoPurchase, conditionalProbabilityOfPurchases, dert, nextPurchase,
  predictionIntervals, predictiveClvIntervals, type NextPurchase, type PredictionInterval,
} from 'retention-wasm';

export async function main(): Promise<void> {
  await init();
  const log = EventLog.fromEvents([
    { customer: 'ana', timestamp: '2024-03-01', amount: 40 },
    { customer: 'ana', timestamp: new Date(), type: 'support_ticket', detail: 'critical', resolved: false },
    { customer: 'ana', timestamp: 1_700_000_000_000, type: 'survey', score: 9, detail: 'nps' },
  ], { duplicates: 'drop' });
  const view: ShopperView = shopperView(log, 'ana', {
    asOf: '2024-06-01',
    loyalty: { tiers: [{ name: 'Member', threshold: 0 }, { name: 'VIP', threshold: 1000, multiplier: 2 }] },
    risk: { amber: 0.4, weights: { recency: 0.5 } },
    rfm: { thresholds: { recency: [30, 90], frequency: [1, 3], monetary: [50, 500] }, bins: 3 },
  });
  const light: Light = view.light.light;
  const missing: number | undefined = view.tier.next?.missing;
  const segment: string | undefined = view.rfm?.segment;
  const stage: 'prospect' | 'new' | 'active' | 'at_risk' | 'lapsed' | 'reactivated' | 'loyal' = view.lifecycle.stage;

  const cols = EventLog.fromColumns({
    customer: new Float64Array([1, 2]),
    timestamp: new Float64Array([0, 1]),
    type: new Uint8Array([EVENT_TYPES.indexOf('order'), 1]),
    amount: new Float64Array([10, 20]),
  });
  const scores: RfmResult = rfm(cols, { asOf: new Date(), bins: 5, frequency: 'order_days' });
  const r: Uint8Array = scores.r;
  const lights: TrafficLightColumns = trafficLights(cols, { asOf: Date.now(), red: 0.7 });
  const reds: number = lights.counts.red;
  const lightReasons: string[][] = lights.lightReasons;
  const healthReasons: string[] = lights.reasons[0];
  const revenue: Float64Array = summaries(cols).netRevenue;
  const orderCounts: Float64Array = summaries(cols).orders;
  const ids: CustomerId[] = scores.customerId;
  const life = lifecycleStages(cols, { asOf: 0, loyalOrders: 3 });
  const stages = life.stage;
  const warned: boolean[] = life.inactiveWarning;
  void [lightReasons, healthReasons, orderCounts, ids, warned];
  const ledger = pointsLedger(log, 'ana', { asOf: '2024-06-01' });
  const balance: number = ledger.balance;
  // Instants in results are RFC 3339 text.
  const earnedAt: Date[] = ledger.entries.map((e) => new Date(e.time));
  const expires: string | undefined = ledger.nextExpiry?.[0];
  const reason: string | undefined = view.health.components[0]?.reason;
  const gold: string = tierForValue(1500).name;
  sampleLog({ seed: 1, customers: 100 }).free();

  try {
    rfm(cols, { asOf: 0 });
  } catch (e) {
    if (e instanceof RetentionError) {
      const code: string = e.code;
      const issues: RowIssue[] = e.issues;
      const row: number | null = e.row;
      void [code, issues, row];
    }
  }
  void [light, missing, segment, stage, r, reds, revenue, stages, balance, gold, earnedAt, expires, reason];

  // Models: one shopper (numbers in, number out) and columns (typed arrays out).
  const bg: TransactionModel = { model: 'bg_nbd', r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 };
  const alive: number = probabilityAlive(bg, { frequency: 2, recency: 30.43, T: 38.86 });
  const next39: number = conditionalExpectedPurchases(bg, 39, { frequency: 2, recency: 30.43, T: 38.86 });
  const curve: Float64Array = expectedPurchases(bg, [1, 3, 32, 78]);
  const input = modelInput(cols, { observationEnd: '2024-06-01', unit: 'week' });
  const inputIds: CustomerId[] = input.customerId;
  void inputIds;
  const fit: FitResult<BgNbdModel> = fitBgNbd(input, { penalizerCoef: 0.001 });
  const alives: Float64Array = probabilityAlive(fit.params, input);
  const pareto = fitParetoNbd(input).params;
  const ggom: GgomNbdModel = fitGgomNbd(input).params;
  const ggomNext: number = conditionalExpectedPurchases(ggom, 39, { frequency: 2, recency: 30.43, T: 38.86 });
  void ggomNext;
  const spend = fitGammaGamma(input).params;
  const clv: Float64Array = predictiveClv(pareto, spend, input, { horizonMonths: 12, timeUnit: 'week' });
  const clvOne: number = predictiveClv(bg, spend, { frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 25 });
  // Metrics.
  const activity: PeriodActivity = periodActivity(cols, { start: '2024-01-01', end: '2024-02-01', basis: 'orders' });
  const retention: number | null = activity.retentionRate;
  const periodStart: Date = new Date(activity.start);
  const se: number[] | null = fit.standardErrors;
  const stats: OrderStats = orderStats(cols, { start: 0, end: Date.now() });
  const aov: number | null = stats.averageOrderValue;
  const nrr: number | null = mrrBridge(cols, { start: 0, end: 1 }).netRevenueRetention;
  const quick: number | null = mrrRatios({ starting: 100, new: 10, churned: 5 }).quickRatio;
  const surveyScores: number[] = [nps([9, 10, 3]).score, csat([5, 4], { scale: 5 }).score, ces([3], { choices: 7 }).score,
    customerLoyaltyIndex({ recommend: [9], repurchase: [8], otherProducts: [10] })];
  const crr: number | null = customerRetentionRate({ start: 100, end: 110, new: 30 });
  const churn: number | null = churnRate({ lost: 10, start: 100 });
  void [alive, next39, curve, alives, clv, clvOne, retention, aov, nrr, quick, surveyScores, crr, churn, periodStart, se];
  // @ts-expect-error: the model tag is required
  probabilityAlive({ r: 1, alpha: 1, a: 1, b: 1 }, { frequency: 1, recency: 1, T: 2 });
  // @ts-expect-error: T, not t
  probabilityAlive(bg, { frequency: 1, recency: 1, t: 2 });
  // @ts-expect-error: ces needs the number of choices
  ces([1, 2]);

  // @ts-expect-error: options are typed, a typo is an error
  rfm(cols, { asOf: 0, binz: 3 });
  // @ts-expect-error: asOf is required
  trafficLights(cols, {});
  // @ts-expect-error: unknown event type
  EventLog.fromEvents([{ customer: 1, timestamp: 0, type: 'purchase' }]);
}

// Predictions beyond calibration and intervals.
export function predictionsUsage(fit: FitResult<BgNbdModel>, spendFit: FitResult<{ p: number; q: number; gamma: number }>): void {
  const one = { frequency: 2, recency: 30.43, T: 38.86 };
  const rows = { frequency: [0, 2], recency: [0, 30.43], T: [38.86, 38.86] };
  const later: number = probabilityAliveAt(fit.params, 52, one);
  const laterRows: Float64Array = probabilityAliveGivenNoPurchase(fit.params, 52, rows);
  const p0: number = conditionalProbabilityOfPurchases(fit.params, 0, 39, one);
  const d: Float64Array = dert(fit.params, 0.01, rows);
  const next: NextPurchase = nextPurchase(fit.params, 39, one);
  const wait: number | null = next.meanWaitIfAlive;
  const iv: PredictionInterval = predictionIntervals(fit, { prediction: 'dert', discountRate: 0.01 }, one, { method: 'bootstrap', draws: 200 });
  const ivs: PredictionInterval[] = predictiveClvIntervals(fit, spendFit, { ...rows, monetaryValue: [0, 30] }, { timeUnit: 'week' });
  void [later, laterRows, p0, d, wait, iv, ivs];
  // @ts-expect-error: the prediction's argument is required
  predictionIntervals(fit, { prediction: 'dert' }, one);
  // @ts-expect-error: methods are the vocabulary's codes
  predictionIntervals(fit, { prediction: 'probability_alive' }, one, { method: 'jackknife' });
}
