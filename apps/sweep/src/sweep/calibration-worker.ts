/** Child process of a calibration (calibration.ts): its own process, like a cell, so its sessions leave no trace. */
import { calibrationArtifact } from '@mvbench/pipeline';
import { calibrate } from '@mvbench/runner-core';
import { createRunner } from '../runners.ts';
import type { CalibrationOutcome } from './calibration.ts';

async function run(runnerId: string): Promise<CalibrationOutcome> {
  const runner = await createRunner(runnerId);
  try {
    return { ok: true, calibration: await calibrate(runner, calibrationArtifact()) };
  } catch (e) {
    return { ok: false, code: 'CALIBRATION_FAILED', message: e instanceof Error ? e.message : String(e) };
  } finally {
    await runner.dispose();
  }
}

process.on('disconnect', () => process.exit(1));
process.once('message', async (runnerId: string) => {
  const outcome = await run(runnerId);
  process.send!(outcome, undefined, {}, () => process.exit(0));
});
