// Typed usage of the package, checked with `tsc --noEmit` (never run): the
// declarations must accept what users write and type the results exactly.
import {
  init, EventLog, RetentionError, rfm, trafficLights, shopperView, tierForValue,
  summaries, lifecycleStages, pointsLedger, sampleLog, EVENT_TYPES,
  type ShopperView, type RfmResult, type TrafficLightColumns, type Light, type RowIssue,
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
  const revenue: Float64Array = summaries(cols).netRevenue;
  const stages = lifecycleStages(cols, { asOf: 0, loyalOrders: 3 }).stage;
  const balance: number = pointsLedger(log, 'ana', { asOf: '2024-06-01' }).balance;
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
  void [light, missing, segment, stage, r, reds, revenue, stages, balance, gold];

  // @ts-expect-error: options are typed, a typo is an error
  rfm(cols, { asOf: 0, binz: 3 });
  // @ts-expect-error: asOf is required
  trafficLights(cols, {});
  // @ts-expect-error: unknown event type
  EventLog.fromEvents([{ customer: 1, timestamp: 0, type: 'purchase' }]);
}
