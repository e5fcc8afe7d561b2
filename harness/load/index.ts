// Load: the Node client population, our Pusher client, and the k6 runner (k6-runner.ts).
export { startClientPopulation, PopulationBoundsError, planClients, type ClientPopulationOptions, type StartedClientPopulation, type PopulationStats, type ClientPlan } from './population/index.ts';
export { connectRecorded, type ConnectLabels } from './recorded-connect.ts';
export { runK6, K6_EXIT, type K6Point, type K6Result, type K6RunOptions } from './k6-runner.ts';
export { runK6Segmented, executionSegments, segmentArgs, mergeK6Results, type K6ExecutionSegments, type K6SegmentedResult, type K6SegmentedRunOptions } from './k6-segments.ts';
export * from './pusher-client/index.ts';
