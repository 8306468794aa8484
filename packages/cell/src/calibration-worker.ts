/** Child process of a calibration (calibration.ts): its own process, like a cell, so its sessions leave no trace. */
import { calibrationArtifact } from '@mvbench/pipeline';
import { calibrate } from '@mvbench/runner-core';
import type { CalibrationJob, CalibrationOutcome } from './calibration.ts';
import { failure, serveOneJob, withRunner } from './steps.ts';

serveOneJob((job: CalibrationJob) =>
  withRunner(job.runner, {}, async (runner): Promise<CalibrationOutcome> => {
    try {
      return { ok: true, calibration: await calibrate(runner, calibrationArtifact()) };
    } catch (e) {
      return { ...failure(e), code: 'CALIBRATION_FAILED' };
    }
  }),
);
