/**
 * The study (`npm run simulate`): every scenario's frontier on the out-of-sample seed (or the
 * tuning seed), one experiment per scenario, with progress and an ETA over the whole study.
 */
import type { PolicyConfig } from "../keeper/config";
import { buildStrategies, runExperiment, strategyFamilies, type ExperimentSpec, type PathOutcome } from "./experiment";
import { analyseScenario, type ScenarioAnalysis } from "./frontier";
import { DEFAULT_DEFENCES, KEEPER_NAME, scenarioSpec, type DefenceOptions, type StudyScenario } from "./scenarios";

export interface ScenarioResult {
  scenario: StudyScenario;
  spec: ExperimentSpec;
  names: string[];
  outcomes: PathOutcome[];
  analysis: ScenarioAnalysis;
}

export interface StudyOptions {
  scenarios: StudyScenario[];
  policy: PolicyConfig;
  seed: number;
  paths: number;
  jobs: number;
  pureLvr: boolean;
  /** The defences and the pull-oracle mode (default: all). */
  defences?: DefenceOptions;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** The (with, without) pairs reported as paired differences when both strategies ran. */
const PAIRS: [string, string][] = [
  ["Skew k 0.05 30 bp, surge (tau 1 %, max 500 bp)", "Skew k 0.05 30 bp, no surge"],
  [KEEPER_NAME, "Skew k 0.5 30 bp"],
];

/** Runs every scenario; results in scenario order. */
export async function runStudy(o: StudyOptions): Promise<ScenarioResult[]> {
  const log = o.log ?? (() => undefined);
  const total = o.scenarios.length * o.paths;
  const t0 = Date.now();
  let done = 0;
  const results: ScenarioResult[] = [];
  for (const sc of o.scenarios) {
    const spec = scenarioSpec(sc, o.policy, o.seed, o.paths, o.pureLvr, o.defences ?? DEFAULT_DEFENCES);
    const names = buildStrategies(spec).map((s) => s.name);
    const outcomes = await runExperiment(spec, Math.min(o.jobs, o.paths), (out) => {
      done++;
      const s = (Date.now() - t0) / 1000;
      const keeper = out.metrics[names.indexOf(KEEPER_NAME)];
      log(
        `[${done}/${total}] ${sc.name} path ${out.path} (${s.toFixed(0)} s, ETA ${((s / done) * (total - done)).toFixed(0)} s): keeper trading P&L ${(keeper.tradingPnlBps / keeper.weeks).toFixed(1)} bps/week`,
      );
    });
    results.push({
      scenario: sc,
      spec,
      names,
      outcomes,
      analysis: analyseScenario(names, outcomes, [KEEPER_NAME], PAIRS, strategyFamilies(spec)),
    });
  }
  return results;
}
