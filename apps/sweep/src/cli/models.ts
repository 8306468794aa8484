import type { Command } from 'commander';
import { FAMILIES, knobsOf, PATCH_PRESETS, RESOLUTION_RANGE, WIDTH_RANGE } from '@mvbench/dsl';
import { printJson, table } from './output.ts';

export function registerModels(program: Command): void {
  program
    .command('models')
    .description('list the families, their canonical model ids and the knobs each takes')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const families = FAMILIES.map((f) => ({
        family: f.name,
        title: f.title,
        paper: f.paper,
        reference: f.reference,
        ids: Object.keys(f.variants),
        knobs: knobsOf(f),
        attention: f.attention,
        defaultPatch: f.patch ?? null,
        resolution: f.resolution,
      }));
      if (opts.json) return printJson({ families, widthRange: WIDTH_RANGE, resolutionRange: RESOLUTION_RANGE, patchPresets: PATCH_PRESETS });
      const rows = families.map((f) => [f.family, f.ids.join(' '), f.knobs.join(','), f.attention.join(','), String(f.resolution)]);
      console.log(table(rows, ['family', 'canonical ids', 'knobs', 'attention (first = canonical)', 'res']));
      console.log(
        `\nspec: <id>[:key=value,...]   width ${WIDTH_RANGE.join('..')} (mobilevitv2/mobilenetv2: the alpha; others: x variant),` +
          `\n      patch A (2,2,2) | B (8,4,2) | 8x4x2, attention as listed, resolution ${RESOLUTION_RANGE.join('..')}` +
          `\n      e.g. mobilevit_xxs:patch=B  mobilevitv2_075:attention=additive  mobilevitv2_050:resolution=320`,
      );
    });
}
