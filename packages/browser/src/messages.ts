/** Every user-facing message of the browser package, in one place. */
import { userError, MvbenchError } from '@mvbench/core';

export const msg = {
  noChromium: (tried: readonly string[]): MvbenchError =>
    userError(
      'FILE_NOT_FOUND',
      `no Chromium found (looked at ${tried.join(', ')}): install it with \`apt-get install chromium\` ` +
        `or set MVBENCH_CHROMIUM=/path/to/chromium`,
    ),
  chromiumEnvMissing: (path: string): MvbenchError =>
    userError('FILE_NOT_FOUND', `MVBENCH_CHROMIUM=${path} does not exist: point it at a Chromium or Chrome binary`),
  launchFailed: (path: string, cause: string): MvbenchError =>
    new MvbenchError('RUNNER_FAILED', `could not start Chromium at ${path}: ${cause}`, false),
};
