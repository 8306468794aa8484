/**
 * The search's proxy accuracy on tfjs-node (`mvbench search --device node`): the device travels in the request to
 * the training's child process, which trains there and says so in the accuracy. (That tfjs-node computes what wasm
 * computes is packages/train's node.test.ts; how much faster is benchmarks/search/proxy-speed.ts.) Where tfjs-node is
 * not set up, one test says it is absent; CI (MVBENCH_REQUIRE_TFJS_NODE) requires it.
 */
import { describe, expect, it } from 'vitest';
import { parseSpec } from '@mvbench/dsl';
import { tfjsNodeMissing } from '@mvbench/runner-tfjs/node-install';
import { proxyAccuracy } from './accuracy.ts';

const absent = tfjsNodeMissing();
const tiny = { resolution: 32, epochs: 1, trainImages: 32, batch: 16 };
const accuracyOn = (device?: 'node') => proxyAccuracy({ data: 'synthetic', fidelities: [tiny], testImages: 32, seed: 0, timeoutS: 300, ...(device && { device }) });

describe('proxy accuracy on tfjs-node', () => {
  it.runIf(absent !== undefined)(`is absent here: ${absent}`, () => {
    expect(process.env.MVBENCH_REQUIRE_TFJS_NODE, `tfjs-node is required here: ${absent}`).toBeFalsy();
  });

  it.runIf(absent === undefined)('trains in its child on tfjs-node when asked, on wasm otherwise, and labels the accuracy', async () => {
    const spec = parseSpec('swiftformer_xs');
    const [node, wasm] = [await accuracyOn('node')(spec, 0), await accuracyOn()(spec, 0)];
    expect(node, node.error).toMatchObject({ kind: 'proxy', value: expect.any(Number), source: 'mvbench train at 32 px, 1 epochs on tfjs-node', detail: { device: 'node' } });
    expect(wasm, wasm.error).toMatchObject({ kind: 'proxy', value: expect.any(Number), source: 'mvbench train at 32 px, 1 epochs', detail: { device: 'wasm' } });
  }, 120_000);
});
