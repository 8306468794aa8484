/**
 * `mvbench train` on the built-in synthetic task, end to end through the CLI: short trainings of two families lift
 * held-out top-1 well above chance, a seed fixes the result bit for bit, and bad input is a user error.
 * (Speed is the business of benchmarks/train/speed.ts.) A training gets the CLI's own time limit plus a margin, so
 * that on a busy machine the child is stopped by that limit and reports, rather than outlived by a test timeout.
 */
import { describe, expect, it } from 'vitest';
import { cli } from './cli.ts';

const CLI_MS = 300_000;
const train = async (spec: string, ...args: string[]) => {
  const r = await cli(['train', spec, '--data', 'synthetic', '--classes', '4', '--json', ...args], { timeoutMs: CLI_MS });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('mvbench train', () => {
  it.each([
    ['mobilevit_xxs', '64'],
    ['swiftformer_xs', '32'],
  ])('%s at %s px learns the synthetic shapes well above chance', async (spec, resolution) => {
    const r = await train(spec, '--resolution', resolution, '--train-images', '512', '--test-images', '256', '--epochs', '4', '--lr', '0.003');
    expect(r).toMatchObject({ trained: `${spec}:resolution=${resolution}`, classes: 4, chance: 25, trainImages: 512, testImages: 256 });
    expect(r.epochs.at(-1).loss).toBeLessThan(0.75 * r.epochs[0].loss);
    expect(r.top1).toBeGreaterThanOrEqual(40); // 1.6x chance on images it never saw
  }, CLI_MS + 10_000);

  it('is deterministic for a seed, and another seed trains differently', async () => {
    const args = ['--resolution', '32', '--train-images', '32', '--test-images', '32', '--epochs', '2', '--batch', '16'];
    const [a, b, c] = [await train('swiftformer_xs', ...args), await train('swiftformer_xs', ...args), await train('swiftformer_xs', ...args, '--seed', '1')];
    const losses = (x: { epochs: { loss: number }[] }) => x.epochs.map((e) => e.loss);
    expect(losses(b)).toEqual(losses(a));
    expect(b.top1).toBe(a.top1);
    expect(losses(c)).not.toEqual(losses(a));
  });

  it('bad input is a user error that says what to fix', async () => {
    const missing = await cli(['train', 'mobilevit_xxs', '--data', '/no/such/dataset']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/\/no\/such\/dataset/);
    const tiny = await cli(['train', 'swiftformer_xs', '--resolution', '32', '--train-images', '8', '--batch', '16']);
    expect(tiny.code).toBe(2);
    expect(tiny.stderr).toMatch(/8 training images do not fill one batch of 16/);
    const epochs = await cli(['train', 'mobilevit_xxs', '--epochs', 'x']);
    expect(epochs.code).toBe(2);
    expect(epochs.stderr).toMatch(/--epochs <n>' argument 'x' is invalid. 'x' is not a decimal number; expected an integer from 1 to 1000/);
  });
});
