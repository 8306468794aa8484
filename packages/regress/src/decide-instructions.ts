/**
 * The instruction-count verdict for one model: counts are deterministic (two processes of the same model land
 * ~0.01% apart, benchmarks/regress/detection.ts), so one count per side is compared with a fixed threshold, no
 * rank test and no confirmation run. More instructions than base x (1 + threshold) is a regression.
 */
import type { InstructionCount } from '@mvbench/instructions';

/** default threshold: far above the A/A spread of counts, below the smallest change worth flagging (README) */
export const INSTRUCTION_THRESHOLD = 0.002;

export type InstructionVerdict = 'regression' | 'fewer' | 'same';

export interface InstructionComparison {
  base: InstructionCount;
  head: InstructionCount;
  /** head/base instructions per inference, and the same for estimated cycles */
  ratio: number;
  cyclesRatio: number;
  threshold: number;
  verdict: InstructionVerdict;
}

export function compareInstructions(base: InstructionCount, head: InstructionCount, threshold = INSTRUCTION_THRESHOLD): InstructionComparison {
  if (!(threshold > 0 && threshold < 1)) throw new RangeError(`compareInstructions: threshold must be in (0, 1), got ${threshold}`);
  const ratio = head.instructions / base.instructions;
  const verdict: InstructionVerdict = ratio > 1 + threshold ? 'regression' : ratio < 1 - threshold ? 'fewer' : 'same';
  return { base, head, ratio, cyclesRatio: head.estimatedCycles / base.estimatedCycles, threshold, verdict };
}

/** says when the two metrics disagree, so a change that moves one but not the other is shown, not hidden */
export function disagreement(time: string | undefined, instructions: InstructionVerdict | undefined): string | undefined {
  if (!time || !instructions || !['regression', 'noise', 'same', 'faster'].includes(time)) return undefined;
  const slower = time === 'regression';
  const faster = time === 'faster';
  if (instructions === 'regression' && !slower) return 'more instructions, wall time not confirmed slower';
  if (instructions === 'fewer' && !faster) return 'fewer instructions, wall time not faster';
  if (instructions === 'same' && slower) return 'slower with the same instructions: memory, threads or the machine';
  if (instructions === 'same' && faster) return 'faster with the same instructions';
  return undefined;
}
