// The Node client population: pusher-js-like clients with reconnect, back-off and fallback.
export { startClientPopulation, PopulationBoundsError, type ClientPopulationOptions, type StartedClientPopulation, type ClientsSpec } from './client-population.ts';
export type { PopulationStats } from './population-client.ts';
export { planClients, loadChannel, type ClientPlan } from './client-plan.ts';
export { planChurn, type ChurnDeparture } from './churn-plan.ts';
export { nextStep, closeClass, backoffMs, type NextStep } from './reconnect-policy.ts';
export { TransportLadder, LADDER } from './transport-ladder.ts';
