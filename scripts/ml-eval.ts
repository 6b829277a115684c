import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_ANOMALY, explainAnomaly, fitAnomalyModel, scoreAnomalies } from "../src/ml/anomaly.js";
import { evaluateAnomaly, searchAnomalyParams } from "../src/ml/anomaly-eval.js";
import { type BaselineModel, DEFAULT_BASELINE, fitBaseline, predictBaseline } from "../src/ml/baseline.js";
import { parseCmapss, parseRulList } from "../src/ml/cmapss.js";
import { DEFAULT_CV } from "../src/ml/cv.js";
import { runToFailureLabels } from "../src/ml/labels.js";
import { phm08Score, rmse } from "../src/ml/metrics.js";
import { decodeRulModel, encodeRulModel } from "../src/ml/model-format.js";
import {
  DEFAULT_RUL_PARAMS,
  fitRulModel,
  predictRul,
  type RulModel,
  type RulParams,
  type RulPrediction,
  rulParams,
} from "../src/ml/rul-model.js";
import { searchBaselineLambda, searchRulParams } from "../src/ml/search.js";
import type { AssetSeries, SeriesSet } from "../src/ml/series.js";
import { rulChartSvg } from "../src/ml/svg.js";
import { windowAt } from "../src/ml/window.js";

const USAGE = `usage: npm run ml:eval -- <data folder> [subset] [options]

Trains the remaining-life model and the ridge baseline on train_<subset>.txt, scores both at the
last cycle of every test_<subset>.txt engine against RUL_<subset>.txt, and evaluates the anomaly
model on the training engines.

  subset          FD001 (default), FD002, FD003 or FD004
  --svg PATH      the predicted-against-true picture (default ml-eval-<subset>.svg)
  --save PATH     also write the trained model (JSON) there
  --cv            first rerun the cross-validation that chose the default constants (slow: about
                  13 minutes on 2 cores), print it, and use its choice
  --seed N        seed of every fit (default ${DEFAULT_RUL_PARAMS.seed})
`;

/** The search starts from fixed, plain values, not from the defaults it is meant to reproduce. */
const SEARCH_START: RulParams = rulParams({
  cap: 125,
  features: { window: 30 },
  healthIndex: true,
  gbm: { trees: 400, learningRate: 0.05, maxLeaves: 24, minLeaf: 40, colSample: 0.5 },
  ensemble: 1,
  interval: { folds: 0 },
});

function seconds(from: number): number {
  return (performance.now() - from) / 1000;
}

function read(folder: string, file: string): string {
  try {
    return readFileSync(join(folder, file), "utf8");
  } catch (error) {
    throw new Error(`cannot read ${join(folder, file)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Calls `run` on all items repeatedly for at least `minSeconds`; items per second. */
function rate<T>(items: readonly T[], run: (items: readonly T[]) => void, minSeconds = 1.5): number {
  let done = 0;
  const start = performance.now();
  do {
    run(items);
    done += items.length;
  } while (seconds(start) < minSeconds);
  return done / seconds(start);
}

/** One window per test row: the rows up to it, at most `length` of them. */
function testWindows(set: SeriesSet, length: number): AssetSeries[] {
  return set.assets.flatMap((a) => Array.from({ length: a.time.length }, (_, r) => windowAt(a, r + 1, length, "shorter")));
}

function diff(chosen: RulParams, defaults: RulParams): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (typeof a === "object" && a !== null && typeof b === "object" && b !== null && !Array.isArray(a)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      }
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      out.push(`${path}: cross-validation ${JSON.stringify(a)}, default ${JSON.stringify(b)}`);
    }
  };
  walk({ ...chosen, interval: null, seed: null }, { ...defaults, interval: null, seed: null }, "");
  return out;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      svg: { type: "string" },
      save: { type: "string" },
      cv: { type: "boolean", default: false },
      seed: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || positionals.length < 1 || positionals.length > 2) {
    process.stdout.write(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const folder = positionals[0] as string;
  const subset = (positionals[1] ?? "FD001").toUpperCase();
  if (!/^FD00[1-4]$/.test(subset)) throw new Error(`unknown subset ${JSON.stringify(subset)}; expected FD001..FD004`);
  const seed = values.seed === undefined ? DEFAULT_RUL_PARAMS.seed : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${JSON.stringify(values.seed)}`);
  const svgPath = values.svg ?? `ml-eval-${subset}.svg`;

  const train = parseCmapss(read(folder, `train_${subset}.txt`));
  const test = parseCmapss(read(folder, `test_${subset}.txt`));
  const truth = parseRulList(read(folder, `RUL_${subset}.txt`));
  if (truth.length !== test.assets.length)
    throw new Error(`RUL_${subset}.txt has ${truth.length} values for ${test.assets.length} test engines`);
  const trainRows = train.assets.reduce((s, a) => s + a.time.length, 0);
  console.log(`C-MAPSS ${subset}: ${train.assets.length} training engines (${trainRows} rows), ${test.assets.length} test engines`);

  let params = rulParams({ seed });
  let baselineParams = { ...DEFAULT_BASELINE, cap: params.cap, seed };
  let anomalyParams = { ...DEFAULT_ANOMALY, seed };
  if (values.cv) {
    console.log(
      `\n== cross-validation over training engines (${DEFAULT_CV.folds} folds grouped by engine, rows with true life ≤ ${DEFAULT_CV.horizon} scored against the uncapped truth)`,
    );
    const started = performance.now();
    const search = searchRulParams(
      train,
      { ...SEARCH_START, seed },
      DEFAULT_CV,
      undefined,
      () => performance.now(),
      (t) => {
        console.log(
          `  ${pad(t.stage, 24)} ${pad(JSON.stringify(t.change), 52)} RMSE ${t.result.rmse.toFixed(3)}  PHM08/row ${t.result.phm08PerRow.toFixed(3)}  (${t.seconds.toFixed(1)} s)`,
        );
      },
    );
    params = rulParams({ ...search.params, interval: DEFAULT_RUL_PARAMS.interval, seed });
    console.log(`  model search took ${seconds(started).toFixed(0)} s; CV RMSE of the choice ${search.best.rmse.toFixed(3)}`);
    const changes = diff(params, DEFAULT_RUL_PARAMS);
    console.log(
      changes.length === 0
        ? "  the choice is the library default"
        : `  the choice differs from the library default:\n    ${changes.join("\n    ")}`,
    );
    const ridge = searchBaselineLambda(train, { ...DEFAULT_BASELINE, cap: params.cap, seed }, DEFAULT_CV);
    for (const r of ridge.results) console.log(`  baseline lambda ${pad(String(r.lambda), 8)} RMSE ${r.result.rmse.toFixed(3)}`);
    baselineParams = ridge.params;
    console.log(`  baseline lambda chosen ${baselineParams.lambda} (default ${DEFAULT_BASELINE.lambda})`);
    const anomaly = searchAnomalyParams(train, { ...DEFAULT_ANOMALY, seed });
    for (const r of anomaly.results) {
      console.log(
        `  anomaly ${pad(JSON.stringify(r.change), 34)} mean useful lead ${r.evaluation.meanUsefulLead.toFixed(1)}  early alarm rate ${(100 * r.evaluation.earlyAlarmRate).toFixed(2)}%  engines with early alarm ${r.evaluation.assetsWithEarlyAlarm}`,
      );
    }
    anomalyParams = { ...DEFAULT_ANOMALY, ...anomaly.params, seed };
    console.log(
      `  anomaly chosen smoothing ${anomalyParams.smoothing}, persistence ${anomalyParams.persistence} (default ${DEFAULT_ANOMALY.smoothing}, ${DEFAULT_ANOMALY.persistence})`,
    );
  }

  console.log("\n== training");
  let started = performance.now();
  const model: RulModel = fitRulModel(train, runToFailureLabels(train, params.cap), params, {
    dataset: `C-MAPSS ${subset} train`,
    trainedAt: new Date().toISOString(),
  });
  const modelSeconds = seconds(started);
  started = performance.now();
  const baseline: BaselineModel = fitBaseline(train, runToFailureLabels(train, baselineParams.cap), baselineParams);
  const baselineSeconds = seconds(started);
  const kept = model.normaliser.kept.map((s) => train.sensorNames[s]).join(", ");
  console.log(
    `  ${model.normaliser.conditions.centroids.length} operating condition(s); ${model.normaliser.kept.length} sensors kept (${kept}); ` +
      `${model.training.featureNames.length} features; cap ${params.cap}, window ${params.features.window}`,
  );

  // Round trip through the saved form: the evaluation runs on the decoded model.
  const encoded = encodeRulModel(model);
  const loaded = decodeRulModel(encoded);
  if (encodeRulModel(loaded) !== encoded) throw new Error("the model does not encode identically after a round trip");
  if (values.save) writeFileSync(values.save, encoded);

  const predictions: RulPrediction[] = test.assets.map((a) => predictRul(loaded, a));
  for (const [i, a] of test.assets.entries()) {
    if (predictRul(model, a).rul !== predictions[i]?.rul) throw new Error(`the decoded model predicts differently for ${a.id}`);
  }
  const modelRul = predictions.map((p) => p.rul);
  const baselineRul = test.assets.map((a) => predictBaseline(baseline, a));

  const modelWindows = testWindows(test, model.params.features.window);
  const baselineWindows = testWindows(test, baseline.features.window);
  const modelRate = rate(modelWindows, (w) => {
    for (const window of w) predictRul(loaded, window);
  });
  const baselineRate = rate(baselineWindows, (w) => {
    for (const window of w) predictBaseline(baseline, window);
  });

  const covered = predictions.filter((p, i) => (truth[i] as number) >= p.interval[0] && (truth[i] as number) <= p.interval[1]).length;
  const coveredCapped = predictions.filter((p, i) => {
    const t = Math.min(params.cap, truth[i] as number);
    return t >= p.interval[0] && t <= p.interval[1];
  }).length;

  const col = 28;
  console.log(`\n== remaining useful life at the last cycle of each test engine (${subset})`);
  console.log(`  ${pad("", 26)}${pad("model (boosted trees)", col)}baseline (ridge, ${baseline.features.window}-cycle window features)`);
  const row = (name: string, a: string, b: string): void => console.log(`  ${pad(name, 26)}${pad(a, col)}${b}`);
  row("RMSE", rmse(modelRul, truth).toFixed(2), rmse(baselineRul, truth).toFixed(2));
  row("PHM08 score", phm08Score(modelRul, truth).toFixed(1), phm08Score(baselineRul, truth).toFixed(1));
  row("training time", `${modelSeconds.toFixed(1)} s`, `${baselineSeconds.toFixed(1)} s`);
  row("inference", `${Math.round(modelRate)} windows/s`, `${Math.round(baselineRate)} windows/s`);
  row("model size", `${(encoded.length / 1024).toFixed(0)} KiB (JSON)`, "");
  console.log(
    `  the model's training time includes ${params.interval.folds} out-of-fold fits for its ${Math.round(100 * params.interval.coverage)}% intervals; ` +
      `test engines inside the interval: ${covered}/${truth.length} (true life), ${coveredCapped}/${truth.length} (true life capped at ${params.cap})`,
  );

  const svg = rulChartSvg(
    test.assets.map((a, i) => ({
      id: a.id,
      truth: truth[i] as number,
      model: modelRul[i] as number,
      interval: predictions[i]?.interval ?? [0, 0],
      baseline: baselineRul[i] as number,
    })),
    {
      title: `C-MAPSS ${subset}: predicted and true remaining life at the last cycle of each test engine`,
      model: "boosted trees",
      baseline: "ridge baseline",
    },
  );
  writeFileSync(svgPath, svg);
  console.log(`  picture: ${svgPath}`);

  console.log(
    `\n== anomaly model (training engines, ${DEFAULT_CV.folds}-fold cross-validation grouped by engine; healthy = first ${Math.round(100 * anomalyParams.healthyFraction)}% of life, target false-alarm rate ${(100 * anomalyParams.targetFalseAlarmRate).toFixed(1)}% of healthy cycles)`,
  );
  started = performance.now();
  const evaluation = evaluateAnomaly(train, anomalyParams);
  const anomalySeconds = seconds(started);
  console.log(
    `  engines flagged before failure        ${(100 * evaluation.flaggedShare).toFixed(0)}% (${Math.round(evaluation.flaggedShare * evaluation.assets)}/${evaluation.assets})`,
  );
  console.log(`  median lead time (first alarm)        ${evaluation.medianLeadTime} cycles`);
  console.log(
    `  flagged after the first 30% of life   ${(100 * evaluation.detectedShare).toFixed(0)}%, median lead ${evaluation.medianDetectionLead} cycles`,
  );
  console.log(
    `  false alarms in the first 30% of life ${evaluation.earlyAlarmsPerAsset.reduce((s, v) => s + v, 0)} alarm cycles in ${evaluation.assetsWithEarlyAlarm}/${evaluation.assets} engines ` +
      `(${(100 * evaluation.earlyAlarmRate).toFixed(2)}% of scored cycles there)`,
  );
  const anomaly = fitAnomalyModel(train, anomalyParams);
  const top = new Map<string, number>();
  let alarmed = 0;
  for (const a of test.assets) {
    const s = scoreAnomalies(anomaly, a);
    const last = a.time.length - 1;
    if (s.alarm[last] !== 1) continue;
    alarmed++;
    const first = explainAnomaly(anomaly, a, last)[0];
    if (first) top.set(first.sensor, (top.get(first.sensor) ?? 0) + 1);
  }
  const tops = [...top.entries()].sort((a, b) => b[1] - a[1]).map(([s, c]) => `${s} ×${c}`);
  console.log(
    `  test engines in alarm at their last cycle: ${alarmed}/${test.assets.length}; largest contributor: ${tops.join(", ") || "none"}`,
  );
  console.log(`  evaluation took ${anomalySeconds.toFixed(1)} s`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
