/** mvbench search's user errors (exit 2, the option or file named, nothing written) and its output through the CLI's own entry. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'mvbench-search-cli-'));
const out = join(dir, 'never.jsonl');
const spaceFile = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
const search = (...args: string[]) => runCli(['search', '--runner', 'null', '--out', out, ...args]);

describe('mvbench search: bad input', () => {
  it.each([
    [['--max-params', '10'], /no model in the search space meets --max-params: the smallest parameter count is [\d,]+ \((mobilevitv2|swiftformer)_\w+:/],
    [['--max-macs', '1e3', '--space', 'mobilenetv2'], /meets --max-macs: the smallest MAC count is/],
    [['--max-params', '3M'], /--max-params.*'3M' is not a decimal number/],
    [['--budget', '45x'], /--budget.*expected a duration such as 45m/],
    [['--budget', '0m'], /--budget.*out of range|--budget.*above 0/],
    [['--space', 'mobilevitt'], /unknown family 'mobilevitt'/],
    [['--space', join(dir, 'missing.json')], /search space file not found/],
    [['--space', spaceFile('ffn.json', '{"mobilevit": {"ffn": [100]}}')], /ffn.json: mobilevit: ffn option 100/],
    [['--space', spaceFile('broken.json', '{not json')], /invalid search space .*broken.json: not JSON/],
    [['--objectives', 'latency,speed'], /--objectives: unknown objective 'speed'; objectives: latency, accuracy, params, macs/],
    [['--objectives', 'latency'], /give 2 or 3 distinct objectives/],
    [['--method', 'grid'], /--method: 'grid' is not a method; methods: nsga2, random/],
    [['--zero-cost', 'magic'], /--zero-cost: unknown proxy 'magic'; proxies: synflow, grad_norm, snip, naswot/],
    [['--population', '1'], /--population/],
    [['--reduction-factor', '1'], /--reduction-factor.*1/],
    [['--reduction-factor', 'half'], /--reduction-factor.*'half' is not/],
    [['--runner', 'nope'], /unknown runner 'nope'/],
    [['--latency', 'guess'], /--latency: 'guess'; expected measured or predicted/],
    [['--device', 'gpu'], /--device.*'gpu' is invalid.*wasm, node/],
    [['--anchors', 'mobilevit_xxs'], /--anchors: 'mobilevit_xxs' is not a canonical model of the space's families \(mobilevitv2, swiftformer\)/],
    [['--anchors', 'mobilevitv2_050:ffn=1.5'], /--anchors: 'mobilevitv2_050:ffn=1.5' is not a canonical model/],
    [['--fidelities', '{not json'], /--fidelities: not JSON; expected e.g./],
    [['--fidelities', '[{"resolution":16,"epochs":1,"trainImages":8,"batch":8}]'], /--fidelities: 0.resolution: .*\(1-8 rungs of resolution 32-512/],
    [['--fidelities', '[]'], /--fidelities: \(list\): /],
    [['--queue', 'http://x:6379'], /--queue http:\/\/x:6379\/: expected a redis:\/\/ or rediss:\/\/ URL/],
    [['--queue', 'redis://127.0.0.1:6379/0', '--machine-class', 'a b'], /--machine-class 'a b': letters, digits/],
    [['--latency', 'predicted', '--runner', 'tfjs:cpu', '--threads', '3'], /no predictor results\/predictors\/.*for tfjs:cpu with 3 thread\(s\): build one \(mvbench predictor build/],
  ])('%j', async (args, message) => {
    const r = await search(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});
