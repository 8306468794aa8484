export { runQueueSweep, type QueueSweepEvents } from './coordinator.ts';
export { runWorker } from './worker.ts';
export { describeSnapshot } from './snapshot.ts';
export { checkMachineClass, checkQueueUrl, redactUrl } from './connection.ts';
export { searchOnQueue } from './search-queue.ts';
