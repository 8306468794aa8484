import type { Command } from 'commander';
import { builtInPlans } from '@mvbench/plan';
import { probeRunners } from '@mvbench/cell';
import { printJson, table } from './output.ts';

export function registerPlans(program: Command): void {
  program
    .command('plans')
    .description('list the built-in plans: what each measures, its cells, runners and time limit')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const plans = builtInPlans();
      if (opts.json) return printJson(plans);
      console.log(
        table(
          plans.map((p) => [p.name, p.cells, p.runners.join(', '), p.threads.join(','), p.maxMinutes === null ? '-' : `${p.maxMinutes} min`, p.description]),
          ['plan', 'cells', 'runners', 'threads', 'limit', 'what it measures'],
        ),
      );
      console.log('\nrun one with `mvbench sweep --plan <name>`; see its cells first with `--dry-run`; a .json/.ts plan file works too');
    });

  program
    .command('runners')
    .description('list the runners, their runtime versions, and which cannot run on this machine and why')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const runners = await probeRunners();
      if (opts.json) return printJson(runners.map((r) => ({ ...r, available: !r.unavailable })));
      const versions = (v: Record<string, string>) => Object.entries(v).map(([k, x]) => `${k} ${x}`).join(', ');
      console.log(table(runners.map((r) => [r.id, r.unavailable ? 'no' : 'yes', versions(r.versions)]), ['runner', 'available', 'versions']));
      for (const r of runners.filter((x) => x.unavailable)) console.log(`\n${r.id}: ${r.unavailable}`);
    });
}
