import os from 'node:os';
import { expect, test } from 'vitest';
import { environmentFingerprint } from './environment.ts';

test('environmentFingerprint has the fields', () => {
  const env = environmentFingerprint();
  expect(Object.keys(env).sort()).toEqual(
    ['commit', 'cores', 'cpuModel', 'dirty', 'memoryGiB', 'node', 'os', 'timerResolutionNs'].sort(),
  );
  expect(env.cpuModel.length).toBeGreaterThan(0);
  expect(env.cores).toBeGreaterThanOrEqual(1);
  expect(env.memoryGiB).toBeGreaterThan(0);
  expect(env.node).toBe(process.version);
  expect(env.commit).toMatch(/^([0-9a-f]{40}|unknown)$/);
  expect(typeof env.dirty).toBe('boolean');
  expect(env.timerResolutionNs).toBeGreaterThan(0);
  expect(env.timerResolutionNs).toBeLessThan(1e6);
});

test('environmentFingerprint names no host, user or path', () => {
  const text = JSON.stringify(environmentFingerprint());
  for (const secret of [os.hostname(), os.homedir(), process.cwd(), os.userInfo().username]) {
    expect(text).not.toContain(secret);
  }
  expect(text).not.toMatch(/[\\/](work|home|Users|tmp)[\\/]/);
});

test('environmentFingerprint outside a git checkout says unknown', () => {
  const env = environmentFingerprint(os.tmpdir());
  expect(env.commit).toBe('unknown');
  expect(env.dirty).toBe(false);
});
