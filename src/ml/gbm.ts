import { MlInputError } from "./errors.js";
import { createRng } from "./random.js";

/**
 * Gradient-boosted regression trees on histograms of binned features (squared error), grown
 * leaf-wise (best split first), with row and feature subsampling per tree. Written for typed
 * arrays: rows are binned once into bytes, and a child's histogram is its parent's minus its
 * sibling's, so only the smaller child is counted.
 */
export interface GbmParams {
  readonly trees: number;
  readonly learningRate: number;
  readonly maxLeaves: number;
  readonly maxDepth: number;
  /** Minimum number of rows in a leaf. */
  readonly minLeaf: number;
  /** L2 penalty on leaf values. */
  readonly lambda: number;
  /** Share of rows drawn for each tree. */
  readonly rowSample: number;
  /** Share of features drawn for each tree. */
  readonly colSample: number;
  /** Histogram bins per feature (2..256). */
  readonly bins: number;
  readonly seed: number;
}

export const DEFAULT_GBM: GbmParams = {
  trees: 400,
  learningRate: 0.05,
  maxLeaves: 24,
  maxDepth: 8,
  minLeaf: 40,
  lambda: 1,
  rowSample: 0.7,
  colSample: 0.5,
  bins: 64,
  seed: 1,
};

/** Trees stored as flat node arrays; a node with feature -1 is a leaf. */
export interface GbmModel {
  readonly featureCount: number;
  readonly base: number;
  readonly treeRoots: Int32Array;
  readonly feature: Int32Array;
  /** Rows with value ≤ threshold go left. */
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  /** Total split gain per feature, a rough importance. */
  readonly gain: Float64Array;
}

export function validateGbmParams(p: GbmParams): void {
  const whole = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw new MlInputError(`gbm ${name} must be a whole number ≥ ${min}, got ${v}`);
  };
  whole("trees", p.trees, 1);
  whole("maxLeaves", p.maxLeaves, 2);
  whole("maxDepth", p.maxDepth, 1);
  whole("minLeaf", p.minLeaf, 1);
  whole("bins", p.bins, 2);
  if (p.bins > 256) throw new MlInputError(`gbm bins must be ≤ 256, got ${p.bins}`);
  if (!(p.learningRate > 0 && p.learningRate <= 1)) throw new MlInputError(`gbm learningRate must be in (0, 1], got ${p.learningRate}`);
  if (!(p.lambda >= 0)) throw new MlInputError(`gbm lambda must be ≥ 0, got ${p.lambda}`);
  if (!(p.rowSample > 0 && p.rowSample <= 1)) throw new MlInputError(`gbm rowSample must be in (0, 1], got ${p.rowSample}`);
  if (!(p.colSample > 0 && p.colSample <= 1)) throw new MlInputError(`gbm colSample must be in (0, 1], got ${p.colSample}`);
}

/** Cut points between bins for one feature: at most bins - 1, strictly increasing. */
function binEdges(x: Float64Array, n: number, width: number, f: number, bins: number): Float64Array {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = x[i * width + f] as number;
  values.sort();
  const distinct: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || values[i] !== values[i - 1]) distinct.push(values[i] as number);
  const edges: number[] = [];
  if (distinct.length <= bins) {
    for (let i = 1; i < distinct.length; i++) edges.push(((distinct[i - 1] as number) + (distinct[i] as number)) / 2);
    return Float64Array.from(edges);
  }
  for (let q = 1; q < bins; q++) {
    let idx = Math.floor((q * n) / bins);
    const lo = values[idx - 1] as number;
    while (idx < n && (values[idx] as number) <= lo) idx++;
    if (idx >= n) break;
    const cut = (lo + (values[idx] as number)) / 2;
    if (edges.length === 0 || cut > (edges[edges.length - 1] as number)) edges.push(cut);
  }
  return Float64Array.from(edges);
}

/** Number of cut points below v: the bin of v. */
function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((edges[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Split {
  gain: number;
  /** Position in the tree's feature selection. */
  pos: number;
  bin: number;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  sumG: number;
  hist: Float64Array;
  split: Split | undefined;
}

/**
 * Fits `trees` regression trees to `y` from `n` rows of `width` features stored row after row.
 * Deterministic for a given seed.
 */
export function fitGbm(x: Float64Array, n: number, width: number, y: Float64Array, params: GbmParams): GbmModel {
  validateGbmParams(params);
  if (n < 2) throw new MlInputError(`gradient boosting needs at least 2 rows, got ${n}`);
  if (x.length !== n * width || y.length !== n)
    throw new MlInputError(`feature matrix ${x.length} ≠ ${n} × ${width} or ${y.length} labels ≠ ${n}`);
  for (let i = 0; i < x.length; i++)
    if (!Number.isFinite(x[i] as number))
      throw new MlInputError(`feature value at row ${Math.floor(i / width)}, column ${i % width} is not finite`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(y[i] as number)) throw new MlInputError(`label at row ${i} is not finite`);

  const B = params.bins;
  const edges: Float64Array[] = [];
  const binCount = new Int32Array(width);
  const binned = new Uint8Array(n * width);
  for (let f = 0; f < width; f++) {
    const e = binEdges(x, n, width, f, B);
    edges.push(e);
    binCount[f] = e.length + 1;
    for (let i = 0; i < n; i++) binned[i * width + f] = binOf(e, x[i * width + f] as number);
  }

  let base = 0;
  for (let i = 0; i < n; i++) base += y[i] as number;
  base /= n;
  const pred = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const rows = new Uint32Array(n);
  const scratch = new Uint32Array(n);
  const rng = createRng(params.seed);
  const { lambda, minLeaf, maxLeaves, maxDepth, learningRate } = params;
  const nsel = Math.max(1, Math.round(params.colSample * width));
  const order = Int32Array.from({ length: width }, (_, i) => i);
  const sel = new Int32Array(nsel);
  const histSize = 2 * nsel * B;
  const pool: Float64Array[] = [];
  const takeHist = (): Float64Array => pool.pop() ?? new Float64Array(histSize);

  const outFeature: number[] = [];
  const outBin: number[] = [];
  const outLeft: number[] = [];
  const outRight: number[] = [];
  const outValue: number[] = [];
  const roots: number[] = [];
  const gain = new Float64Array(width);

  const buildHist = (hist: Float64Array, start: number, end: number): void => {
    hist.fill(0);
    for (let k = start; k < end; k++) {
      const r = rows[k] as number;
      const g = grad[r] as number;
      const baseIdx = r * width;
      for (let j = 0; j < nsel; j++) {
        const h = 2 * (j * B + (binned[baseIdx + (sel[j] as number)] as number));
        hist[h] = (hist[h] as number) + g;
        hist[h + 1] = (hist[h + 1] as number) + 1;
      }
    }
  };

  const bestSplit = (hist: Float64Array, sumG: number, count: number): Split | undefined => {
    if (count < 2 * minLeaf) return undefined;
    const parent = (sumG * sumG) / (count + lambda);
    let best: Split | undefined;
    for (let j = 0; j < nsel; j++) {
      const nb = binCount[sel[j] as number] as number;
      let gl = 0;
      let cl = 0;
      for (let b = 0; b < nb - 1; b++) {
        const h = 2 * (j * B + b);
        gl += hist[h] as number;
        cl += hist[h + 1] as number;
        if (cl < minLeaf) continue;
        const cr = count - cl;
        if (cr < minLeaf) break;
        const gr = sumG - gl;
        const g = (gl * gl) / (cl + lambda) + (gr * gr) / (cr + lambda) - parent;
        if (g > 1e-9 && (best === undefined || g > best.gain)) best = { gain: g, pos: j, bin: b };
      }
    }
    return best;
  };

  for (let t = 0; t < params.trees; t++) {
    // Rows and features for this tree.
    let m = 0;
    if (params.rowSample >= 1) {
      for (let i = 0; i < n; i++) rows[m++] = i;
    } else {
      for (let i = 0; i < n; i++) if (rng.next() < params.rowSample) rows[m++] = i;
      if (m < 2) for (m = 0; m < n; m++) rows[m] = m;
    }
    for (let i = 0; i < nsel; i++) {
      const j = i + rng.int(width - i);
      const a = order[i] as number;
      order[i] = order[j] as number;
      order[j] = a;
    }
    sel.set(order.subarray(0, nsel));
    sel.sort();
    for (let k = 0; k < m; k++) {
      const r = rows[k] as number;
      grad[r] = (y[r] as number) - (pred[r] as number);
    }

    const rootNode = outFeature.length;
    roots.push(rootNode);
    outFeature.push(-1);
    outBin.push(0);
    outLeft.push(-1);
    outRight.push(-1);
    outValue.push(0);
    let rootG = 0;
    for (let k = 0; k < m; k++) rootG += grad[rows[k] as number] as number;
    const rootHist = takeHist();
    buildHist(rootHist, 0, m);
    const leaves: Leaf[] = [
      { node: rootNode, start: 0, end: m, depth: 0, sumG: rootG, hist: rootHist, split: bestSplit(rootHist, rootG, m) },
    ];

    while (leaves.length < maxLeaves) {
      let pick = -1;
      for (let i = 0; i < leaves.length; i++) {
        const leaf = leaves[i] as Leaf;
        if (leaf.split === undefined || leaf.depth >= maxDepth) continue;
        if (pick < 0 || leaf.split.gain > ((leaves[pick] as Leaf).split as Split).gain) pick = i;
      }
      if (pick < 0) break;
      const leaf = leaves[pick] as Leaf;
      const split = leaf.split as Split;
      const f = sel[split.pos] as number;
      // Stable partition: rows of the left child first, order kept.
      let l = leaf.start;
      let r = 0;
      for (let k = leaf.start; k < leaf.end; k++) {
        const row = rows[k] as number;
        if ((binned[row * width + f] as number) <= split.bin) rows[l++] = row;
        else scratch[r++] = row;
      }
      rows.set(scratch.subarray(0, r), l);
      let leftG = 0;
      for (let k = leaf.start; k < l; k++) leftG += grad[rows[k] as number] as number;
      const leftCount = l - leaf.start;
      const rightCount = leaf.end - l;
      const small = takeHist();
      const leftIsSmall = leftCount <= rightCount;
      if (leftIsSmall) buildHist(small, leaf.start, l);
      else buildHist(small, l, leaf.end);
      const large = leaf.hist;
      for (let h = 0; h < histSize; h++) large[h] = (large[h] as number) - (small[h] as number);
      const leftHist = leftIsSmall ? small : large;
      const rightHist = leftIsSmall ? large : small;

      gain[f] = (gain[f] as number) + split.gain;
      const leftNode = outFeature.length;
      const rightNode = leftNode + 1;
      outFeature[leaf.node] = f;
      outBin[leaf.node] = split.bin;
      outLeft[leaf.node] = leftNode;
      outRight[leaf.node] = rightNode;
      for (let c = 0; c < 2; c++) {
        outFeature.push(-1);
        outBin.push(0);
        outLeft.push(-1);
        outRight.push(-1);
        outValue.push(0);
      }
      const rightG = leaf.sumG - leftG;
      const leftLeaf: Leaf = {
        node: leftNode,
        start: leaf.start,
        end: l,
        depth: leaf.depth + 1,
        sumG: leftG,
        hist: leftHist,
        split: undefined,
      };
      const rightLeaf: Leaf = {
        node: rightNode,
        start: l,
        end: leaf.end,
        depth: leaf.depth + 1,
        sumG: rightG,
        hist: rightHist,
        split: undefined,
      };
      if (leftLeaf.depth < maxDepth) {
        leftLeaf.split = bestSplit(leftHist, leftG, leftCount);
        rightLeaf.split = bestSplit(rightHist, rightG, rightCount);
      }
      leaves.splice(pick, 1, leftLeaf, rightLeaf);
    }
    for (const leaf of leaves) {
      outValue[leaf.node] = (learningRate * leaf.sumG) / (leaf.end - leaf.start + lambda);
      pool.push(leaf.hist);
    }
    // Update every row's prediction (sampled or not) through the new tree, on the binned values.
    for (let i = 0; i < n; i++) {
      let node = rootNode;
      const baseIdx = i * width;
      while ((outFeature[node] as number) >= 0) {
        node =
          (binned[baseIdx + (outFeature[node] as number)] as number) <= (outBin[node] as number)
            ? (outLeft[node] as number)
            : (outRight[node] as number);
      }
      pred[i] = (pred[i] as number) + (outValue[node] as number);
    }
  }

  const threshold = new Float64Array(outFeature.length);
  for (let k = 0; k < outFeature.length; k++) {
    const f = outFeature[k] as number;
    if (f >= 0) threshold[k] = (edges[f] as Float64Array)[outBin[k] as number] as number;
  }
  return {
    featureCount: width,
    base,
    treeRoots: Int32Array.from(roots),
    feature: Int32Array.from(outFeature),
    threshold,
    left: Int32Array.from(outLeft),
    right: Int32Array.from(outRight),
    value: Float64Array.from(outValue),
    gain,
  };
}

/** Prediction for the row of features starting at `offset` in `x`. */
export function predictGbm(model: GbmModel, x: Float64Array, offset = 0): number {
  const { feature, threshold, left, right, value, treeRoots } = model;
  let sum = model.base;
  for (let t = 0; t < treeRoots.length; t++) {
    let node = treeRoots[t] as number;
    let f = feature[node] as number;
    while (f >= 0) {
      node = (x[offset + f] as number) <= (threshold[node] as number) ? (left[node] as number) : (right[node] as number);
      f = feature[node] as number;
    }
    sum += value[node] as number;
  }
  return sum;
}
