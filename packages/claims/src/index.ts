/**
 * The papers' claims (claims.ts) judged from result rows (evaluate.ts): per runner setting the measured ratio with
 * its 95% CI, top-1 with kind and source, the token-scaling exponents (scaling.ts) and a verdict (verdict.ts).
 */
export { CLAIMS, type Claim } from './claims.ts';
export { evaluateClaims, type ClaimLine, type ClaimResult, type ClaimsReport } from './evaluate.ts';
export { tokenScaling, type ScalingFit, type ScalingPoint, type TokenScaling } from './scaling.ts';
export { claimRows } from './file.ts';
export { claimsMarkdown, top1Text, verdictText } from './text.ts';
export type { Verdict } from './verdict.ts';
