// The bus-time budget: per poll class, how long one cycle takes on the bus, and whether it fits the interval.
export { describeLine, estimateBusTime, rtuTransactionMs } from "./estimate.js";
export type { BusBudget, BusTimeEstimate, BusTimeOptions, ClassBudget } from "./estimate.js";
export { formatEstimate, formatSeconds } from "./format.js";
export { BUS_BUDGET_CODE, busBudgetDiagnostics, busBudgetProblems } from "./warnings.js";
export { addBusBudgetWarnings } from "./validate-reports.js";
