import { fileURLToPath } from 'node:url';

/** the repository root, for default output locations independent of the working directory */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
