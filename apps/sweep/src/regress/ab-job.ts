/** Messages between the regression check and its measuring child process. */
export interface AbJob {
  runner: string;
  threads: number;
  graphOptimization: string;
  basePath: string;
  headPath: string;
  budgetMs: number;
  minRounds: number;
}

export type AbOutcome =
  | { ok: true; base: number[]; head: number[]; calibrationMs: number; versions: Record<string, string> }
  | { ok: false; code: string; message: string };
