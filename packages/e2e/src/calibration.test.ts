/** A real calibration on onnxruntime-node: the figures exist and are sane; their values depend on the machine. */
import { describe, expect, it } from 'vitest';
import { calibrationArtifact } from '@mvbench/pipeline';
import { calibrate } from '@mvbench/runner-core';
import { createOrtNodeRunner } from '@mvbench/runner-ort-node';
import { Calibration } from '@mvbench/results';

describe('calibration', () => {
  it('measures MatMul GFLOP/s with 1 and 2 threads, the scaling, copy bandwidth and the CPU flags', async () => {
    const runner = createOrtNodeRunner();
    try {
      const c = await calibrate(runner, calibrationArtifact(256), { budgetMs: 150 });
      for (const x of [c.matmulGflops1, c.matmulGflops2, c.scaling2, c.memoryGBps, c.durationMs])
        expect(Number.isFinite(x) && x > 0, JSON.stringify(c)).toBe(true);
      expect(c.scaling2).toBeCloseTo(c.matmulGflops2 / c.matmulGflops1, 2);
      expect(c.otherCpuShare).toBeGreaterThanOrEqual(0);
      expect(c.cpuFlags.every((f) => /^[a-z0-9_]+$/.test(f))).toBe(true);
      expect(c.workload).toMatch(/^MatMul 256\^3 fp32 on ort-node:cpu/);
      expect(Calibration.parse(c)).toEqual(c); // what the sweep stores validates against the results schema
    } finally {
      await runner.dispose();
    }
  });
});
