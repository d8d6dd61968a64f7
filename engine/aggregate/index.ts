// engine/aggregate: the interval rules (pure) and the Aggregator that closes intervals into the store.
export {
  accumulate,
  aggregateSamples,
  createAccumulator,
  finishAggregate,
  GOOD_COVERAGE,
  intervalStartOf,
} from "./rules.js";
export type { Accumulator, AggregateInput, AggregateSpec } from "./rules.js";
export { aggregatePlan } from "./plan.js";
export type { PlannedQuantity } from "./plan.js";
export { Aggregator } from "./aggregator.js";
export type { AggregatorEvents, AggregatorOptions, ClosedInterval, OutboxBuilder } from "./aggregator.js";
export { ManualClock, systemClock } from "./clock.js";
export type { Clock, TimerHandle } from "./clock.js";
export { quantityKind } from "./kinds.js";
