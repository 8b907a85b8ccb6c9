import type { Bench } from './figure.js';
import { cadenceBench } from './cadence-bench.js';
import { publishBench, publishDurableBench } from './publish-bench.js';
import { idleBench } from './idle-bench.js';
import { apiBench } from './api-bench.js';
import { lambdaBench } from './lambda-bench.js';
import { importBench } from './import-bench.js';
import { slowReceiverBench } from './slow-receiver-bench.js';
import { awsTimersBench } from './aws-timers-sim.js';
import { restartBench } from './restart-bench.js';
import { listenBench } from './listen-bench.js';
import { inboxBench } from './inbox-bench.js';

/** Every benchmark `npm run bench` runs, in order. */
export const benches: Bench[] = [
  cadenceBench,
  publishBench,
  publishDurableBench,
  slowReceiverBench,
  idleBench,
  apiBench,
  importBench,
  inboxBench,
  lambdaBench,
  restartBench,
  awsTimersBench,
  listenBench,
];
