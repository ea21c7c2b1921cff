// Typed usage of the dashboard entry, checked with `tsc --noEmit` (never run):
// it re-exports the storefront API and types its own functions.
import {
  init, fitBgNbd, modelInput, sampleLog, fitCovariates, fitGammaGammaCovariates, periodTransactions, alivePath, heterogeneity,
  type Heterogeneity,
  type CovariateFitTable, type PeriodTransactions, type FitResult, type BgNbdModel,
  fitContractual, predictiveCohortMatrix, predictiveCohortMatrixFromLog, predictContractual,
  type ContractualFit, type PredictiveCohortMatrix, type ContractualPrediction,
  setCustomerProperties, setEventProperties, cohortRetention, type CohortRetention,
  lifecycleCounts, stickiness, LifecycleCounts, Stickiness,
  churnSurvival, type ChurnSurvival,
} from 'retention-wasm/dashboard';

export async function dashboard(): Promise<void> {
  await init();
  const log = sampleLog({ seed: 7, customers: 200 });
  const churnCurve: ChurnSurvival = churnSurvival(log, { asOf: '2024-06-01', inactiveDays: 60, transform: 'linear' });
  const atHalf: number | null = churnCurve.medianDays;
  const survival: Float64Array = churnCurve.survival;
  console.log(atHalf, survival.length, churnCurve.medianBounds[0]);
  const input = modelInput(log, { observationEnd: '2025-01-01', unit: 'week' });
  const fit: FitResult<BgNbdModel> = fitBgNbd(input);
  const buckets: PeriodTransactions = periodTransactions(fit.params, input, { maxFrequency: 10 });
  const gap: number = buckets.actual[0] - buckets.expected[0];
  const open: boolean = buckets.open[buckets.open.length - 1];
  const summary: CovariateFitTable = fitCovariates('bg_nbd', { ...input, vip: new Float64Array(input.frequency.length) },
    { trans: ['vip'], regLambdaTrans: 0.5 });
  const names: string[] = summary.name;
  console.log(gap, open, names, summary.logLikelihood, summary.stdError[0]);
  const spend: CovariateFitTable = fitGammaGammaCovariates({ ...input, vip: new Float64Array(input.frequency.length) },
    { spend: ['vip'], regLambda: 0.1, level: 0.9 });
  console.log(spend.estimate[3]);
  const path: Float64Array = alivePath(fit.params, ['2024-01-01', new Date(), 1_700_000_000_000], 30, { unit: 'week' });
  const mix: Heterogeneity = heterogeneity(fit.params, 'dropout', 200);
  const first: number | null = mix.density[0];
  console.log(path[0], first, mix.distribution === 'beta');
  // @ts-expect-error: Gamma-Gamma with covariates is not a transaction model.
  fitCovariates('gamma_gamma', input);
  const fits: ContractualFit[] = fitContractual([[1000, 869, 743, 653]], { model: 'bdw', maxIterations: 200 });
  const alpha: number = fits[0].params.alpha;
  const m: PredictiveCohortMatrix = predictiveCohortMatrix({ jan: [1000, 869, 743], feb: [1000, 880] },
    { ages: 12, method: 'bootstrap', draws: 500, fit: { tolerance: 1e-9 } });
  const cell: boolean = m.projected[1][5];
  const fromLog: PredictiveCohortMatrix = predictiveCohortMatrixFromLog(log,
    { asOf: '2025-01-01', survivors: { period: 'month', qualifying: 'orders' }, level: 0.8 });
  console.log(alpha, cell, fromLog.share[0][0]);
  const p: ContractualPrediction = predictContractual(fits[0], { ages: 24, discountRate: 0.01, margin: 20 });
  const life: number | null = p.expectedLifetime;
  const rate: number | null = p.retentionRate[0];
  console.log(life, rate, p.residualValue[3], predictContractual({ model: 'sbg', alpha: 1, beta: 2, c: 1 }).survival[1]);
  // @ts-expect-error: the pooling is 'pooled' or 'per_cohort'.
  predictiveCohortMatrix([[10, 9]], { pooling: 'cohort' });
  setCustomerProperties(log, { customer: [1, 2], country: ['DE', null] });
  setEventProperties(log, { channel: new Array(log.length).fill('web') });
  const ret: CohortRetention = cohortRetention(log, {
    asOf: '2025-01-01', breakdown: 'channel', breakdownSource: 'first_order', rollingDays: 1,
    brackets: [{ first: 1, last: 3 }, { first: 4, last: 10 }],
  });
  const share: number | null = ret.means[0].weightedMean;
  console.log(share, ret.cells[0].lower, ret.columns[0].label);
  // @ts-expect-error: the start event is one of the start_event codes.
  cohortRetention(log, { asOf: '2025-01-01', start: 'visit' });
  const lc: LifecycleCounts = lifecycleCounts(log, { start: '2024-01-01', end: '2024-06-30', period: 'week_sun', timeZone: 'America/New_York' });
  const st: Stickiness = stickiness(log, { start: '2024-03-01', end: '2024-03-31', period: 'day', timeZone: 'Asia/Shanghai' });
  const ratio: number | null = st.ratio;
  console.log(lc.dormant[0], ratio);
  // @ts-expect-error: 'fortnight' is not a period code.
  lifecycleCounts(log, { start: '2024-01-01', end: '2024-06-30', period: 'fortnight' });
}
