/** Worker thread of `runExperiment`: runs the paths it is sent and posts their outcomes. */
import { parentPort, workerData } from "node:worker_threads";
import { buildStrategies, runSpecPath, type ExperimentSpec, type WorkerTask } from "./experiment";

const spec = workerData as ExperimentSpec;
const strategies = buildStrategies(spec);
const port = parentPort;
if (port === null) throw new Error("sim/worker must run in a worker thread");
port.on("message", (t: WorkerTask) => port.postMessage(runSpecPath(spec, strategies, t.path, t.record)));
