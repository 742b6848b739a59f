/** The runtime of a worker process (a relay, a consumer): its config, readiness, failpoints, stats and stop. */
export {
  workerConfig,
  workerName,
  ready,
  failpoint,
  workerStats,
  onStop,
  log,
  serveOps,
} from "../harness/workers/worker-runtime.js";
