import type { Command } from 'commander';
import { userError } from '@mvbench/core';
import { planJsonSchema } from '@mvbench/plan';
import { historyJsonSchema, resultJsonSchema, writeFileAtomic } from '@mvbench/results';

const SCHEMAS: Record<string, () => unknown> = { result: resultJsonSchema, plan: planJsonSchema, history: historyJsonSchema };

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .argument('<which>', `${Object.keys(SCHEMAS).join(', ')}`)
    .option('-o, --out <file.json>', 'write it to this file instead of stdout')
    .description('the JSON Schema of result rows, plan files or history rows (committed in results/schemas/)')
    .action((which: string, opts: { out?: string }) => {
      const make = SCHEMAS[which];
      if (!make) throw userError('BAD_ARGUMENT', `schema '${which}': expected one of ${Object.keys(SCHEMAS).join(', ')}`);
      const text = JSON.stringify(make(), null, 2) + '\n';
      if (opts.out) writeFileAtomic(opts.out, text);
      else process.stdout.write(text);
    });
}
