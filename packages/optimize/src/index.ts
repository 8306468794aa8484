export { optimize, REWRITES, type OptimizeOptions, type Rewrite } from './optimize.ts';
export { RewriteContext } from './context.ts';
