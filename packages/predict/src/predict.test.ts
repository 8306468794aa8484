import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel, parseSpec } from '@mvbench/dsl';
import { defaultSpace, sampleSpecs } from '@mvbench/space';
import { FEATURES, crossValidate, featuresOf, loadPredictor, machineMismatch, predict, quality, specFeatures } from './index.ts';
import { savePredictor } from './store.ts';
import { testPredictor } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'mvbench-predict-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errorOf = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};

// a made-up machine: 1 ns per pointwise MAC, 2 per dense, 4 per depthwise, 1.5 per linear, 3 per attention MAC,
// 20 us per kernel, plus 0.3 ms
const TRUTH = (f: ReturnType<typeof specFeatures>) =>
  (f.conv_pointwise_macs * 1 + f.conv_dense_macs * 2 + f.conv_depthwise_macs * 4 + f.linear_macs * 1.5 + f.attention_macs * 3) / 1e6 +
  (f.conv_kernels + f.matmul_kernels + f.other_kernels) * 0.02 + 0.3;

describe('features', () => {
  it('count MACs by kernel class and add up to the graph MACs', () => {
    const built = buildModel('mobilevit_xxs');
    const f = specFeatures(parseSpec('mobilevit_xxs'));
    const macs = f.conv_dense_macs + f.conv_pointwise_macs + f.conv_depthwise_macs + f.linear_macs + f.attention_macs;
    // the optimiser folds and merges convolutions, so the emitted graph's MACs are close to, not equal to, the plain graph's
    expect(macs / 407_364_096).toBeGreaterThan(0.9);
    expect(macs / 407_364_096).toBeLessThan(1.1);
    expect(f.attention_macs).toBeGreaterThan(0);
    expect(specFeatures(parseSpec('mobilevit_xxs:attention=separable')).attention_macs).toBe(0);
    expect(specFeatures(parseSpec('mobilenetv2_050')).softmax).toBe(0);
    // attention MACs are quadratic in tokens: Config-B (patch 8x4x2) has 16x fewer tokens per patch position in block 1
    expect(specFeatures(parseSpec('mobilevit_xxs:patch=B')).attention_macs).toBeLessThan(f.attention_macs);
    expect(Object.keys(featuresOf(built.graph))).toEqual([...FEATURES]);
  });
});

describe('fit', () => {
  const specs = sampleSpecs(defaultSpace(), 48, 3);
  const samples = specs.map((s) => ({ spec: s.spec, features: specFeatures(s), ms: TRUTH(specFeatures(s)) }));

  it('recovers an additive machine, out of sample', () => {
    const { quality: q } = crossValidate(samples, 4, 0);
    expect(q.within5).toBeGreaterThanOrEqual(0.9);
    expect(q.rmspe).toBeLessThan(0.03);
    expect(q.kendallTau).toBeGreaterThan(0.99);
  });

  it('quality says how far predictions are from measurements', () => {
    const q = quality([10, 20, 30, 40], [10.4, 21.5, 30, 60]);
    expect(q.within5).toBe(0.5);
    expect(q.within10).toBe(0.75);
    expect(q.kendallTau).toBe(1);
  });

  const predictor = testPredictor(samples, { cpuModel: 'Test CPU', cores: 2, memoryGiB: 8, os: 'Linux', node: 'v20' }, { 'onnxruntime-node': '1.30.0' });

  it('a stored predictor predicts with an interval and names knob values outside its space', () => {
    const file = join(dir, 'p.json');
    savePredictor(file, predictor);
    const p = loadPredictor(file);
    const spec = parseSpec('mobilevitv2_075:depth=1x2x1');
    const x = predict(p, spec);
    expect(Math.abs(x.ms / TRUTH(specFeatures(spec)) - 1)).toBeLessThan(0.03);
    expect(x.lo).toBeLessThan(x.ms);
    expect(x.hi).toBeGreaterThan(x.ms);
    expect(x.outside).toEqual([]);
    expect(predict(p, parseSpec('mobilevitv2_075:depth=1x9x1')).outside).toEqual(['depth stage 2 = 9 is outside the sampled range 2..5']);
    expect(predict(p, spec, 2).ms).toBeCloseTo(x.ms * 2, 2);
  });

  it('says when this machine or runtime is not the predictor\'s', () => {
    const here = { cpuModel: 'Other CPU', cores: 4 } as Parameters<typeof machineMismatch>[1];
    expect(machineMismatch(predictor, here, { 'onnxruntime-node': '1.31.0' })).toEqual([
      'built on Test CPU (2 cores), this machine is Other CPU (4 cores)',
      'built with onnxruntime-node 1.30.0, this machine has 1.31.0',
    ]);
    expect(machineMismatch(predictor, { ...here, cpuModel: 'Test CPU', cores: 2 }, { 'onnxruntime-node': '1.30.0' })).toEqual([]);
  });

  it('corrupt, foreign and stale predictor files are user errors naming the file', () => {
    const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    expect(errorOf(() => loadPredictor(join(dir, 'missing.json'))).message).toMatch(/predictor file not found: .*missing.json \(build one with/);
    expect(errorOf(() => loadPredictor(write('cut.json', '{"schema": "mvbench.pre'))).message).toMatch(/cut.json is not valid JSON/);
    expect(errorOf(() => loadPredictor(write('row.json', '{"schema": "mvbench.result/1"}'))).message).toMatch(/row.json is not a mvbench.predictor\/1 file:\n {2}schema/);
    const stale = { ...predictor, model: { ...predictor.model, features: ['macs'], scale: [1], coef: [1, 0] } };
    expect(errorOf(() => loadPredictor(write('stale.json', JSON.stringify(stale)))).message).toMatch(/fitted on other features \(1\).*mvbench predictor fit/);
    const forest = JSON.stringify({ ...predictor, model: { ...predictor.model, forest: 'bm90IGd6aXA=' } });
    expect(errorOf(() => loadPredictor(write('forest.json', forest))).message).toMatch(/forest.json: its forest cannot be read/);
    const nan = JSON.stringify({ ...predictor, model: { ...predictor.model, coef: predictor.model.coef.map(() => 1e400) } });
    expect(errorOf(() => loadPredictor(write('inf.json', nan))).message).toMatch(/inf.json[\s\S]*(non-finite|expected number)/);
  });
});
