/**
 * Typed errors with stable codes. A `UserError` is caused by input the user can fix (exit code 2 in the CLI);
 * anything else is a bug or an environment failure.
 */
export type ErrorCode =
  | 'UNKNOWN_MODEL'
  | 'BAD_SPEC'
  | 'UNKNOWN_KNOB'
  | 'BAD_KNOB_VALUE'
  | 'PATCH_DOES_NOT_DIVIDE'
  | 'SHAPE_MISMATCH'
  | 'INVALID_GRAPH'
  | 'UNSUPPORTED_OP'
  | 'WEIGHTS_MISMATCH'
  | 'CORRUPT_FILE'
  | 'FILE_NOT_FOUND'
  | 'BAD_FIXTURE'
  | 'BAD_ARGUMENT'
  | 'BAD_PLAN'
  | 'BAD_SPACE'
  | 'BAD_PREDICTOR'
  | 'BAD_DATASET'
  | 'UNKNOWN_RUNNER'
  | 'RUNNER_FAILED'
  | 'RUNNER_UNAVAILABLE'
  | 'UNWRITABLE'
  // a cell's process: killed at its time limit, died, ran out of memory; a step that failed without a code of its own
  | 'TIMEOUT'
  | 'CRASH'
  | 'OUT_OF_MEMORY'
  | 'FAILED'
  | 'CALIBRATION_FAILED';

export class MvbenchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly user: boolean = true,
  ) {
    super(message);
    this.name = 'MvbenchError';
  }
}

export const userError = (code: ErrorCode, message: string): MvbenchError => new MvbenchError(code, message, true);

export const isUserError = (e: unknown): e is MvbenchError => e instanceof MvbenchError && e.user;
