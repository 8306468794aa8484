/**
 * The one conformance suite, run against every runner in CONFORMANCE_RUNNERS: each op case and each listed canonical
 * model (seeded weights) against onnxruntime-node's outputs on the same bytes and feeds. supports() is asked first;
 * an op a runner lacks must be reported there, by name, never discovered by a failing run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalIds } from '@mvbench/dsl';
import { OP_NAMES } from '@mvbench/ir';
import { prepareModel } from '@mvbench/pipeline';
import { fixtureInput, type Feeds, type ModelArtifact, type Outputs } from '@mvbench/runner-core';
import { createOrtNodeRunner } from '@mvbench/runner-ort-node';
import { CONFORMANCE_RUNNERS, conform, OP_CASES, opCaseModel, outputsOf, type Verdict } from './index.ts';

const reference = createOrtNodeRunner();
// an optional runtime that is absent here is reported by one test (and the summary), its cases are not registered
const probed = await Promise.all(CONFORMANCE_RUNNERS.map(async (entry) => ({ ...entry, absent: entry.requiredBy ? (await entry.descriptor.probe?.())?.unavailable : undefined })));
const absent = probed.filter((r) => r.absent);
const runners = await Promise.all(probed.filter((r) => !r.absent).map(async (entry) => ({ ...entry, id: entry.descriptor.id, runner: await entry.descriptor.create({}) })));
const verdicts: { runner: string; kind: 'op' | 'model'; item: string; v: Verdict }[] = [];

afterAll(async () => {
  await Promise.all([reference, ...runners.map((r) => r.runner)].map((r) => r.dispose()));
  console.log(summary());
});

interface Subject {
  artifact: ModelArtifact;
  feeds: Feeds;
  expected: Outputs;
}

function check(kind: 'op' | 'model', item: string, subject: () => Subject | undefined) {
  for (const { id, runner, models, knownFailures = {} } of runners) {
    if (kind === 'model' && models !== 'all' && !models.includes(item)) continue; // not registered: no skipped tests
    const known = knownFailures[item];
    (known ? it.fails : it)(known ? `${id} (known failure: ${known})` : id, async () => {
      const { artifact, feeds, expected } = subject()!;
      const v = await conform(runner, artifact, feeds, expected);
      verdicts.push({ runner: id, kind, item, v });
      if (v.status === 'unsupported') {
        expect(v.unsupportedOps.length).toBeGreaterThan(0);
        for (const op of v.unsupportedOps) {
          expect(artifact.ops).toContain(op);
          expect(v.reason).toContain(op);
        }
      } else expect(v.maxDiff, `max |diff| ${v.maxDiff} > ${v.tolerance} (output ${v.worst})`).toBeLessThanOrEqual(v.tolerance);
    });
  }
}

describe('supports()', () => {
  for (const { descriptor, absent: why, requiredBy } of absent)
    it(`${descriptor.id} is absent on this machine: ${why}`, () => {
      expect(process.env[requiredBy!], `${requiredBy} is set: ${descriptor.id} must be present`).toBeFalsy();
    });
  it('op cases cover every op of the IR op table', () => {
    expect(new Set(OP_CASES.map((c) => c.op))).toEqual(new Set(OP_NAMES));
  });
  for (const { id, runner } of runners)
    it(`${id} names exactly the ops it lacks`, () => {
      const all = opCaseModel(OP_CASES[0]).artifact;
      const s = runner.supports({ ...all, ops: [...OP_NAMES] });
      if (s.ok) return;
      expect(s.unsupportedOps.length).toBeGreaterThan(0);
      for (const op of s.unsupportedOps) {
        expect(OP_NAMES).toContain(op);
        expect(s.reason).toContain(op);
      }
      for (const op of OP_NAMES) expect(runner.supports({ ...all, ops: [op] }).ok).toBe(!s.unsupportedOps.includes(op));
    });
});

describe('op cases against onnxruntime-node', () => {
  for (const c of OP_CASES)
    describe(c.name, () => {
      let subject: Subject | undefined;
      beforeAll(async () => {
        const { artifact, feeds } = opCaseModel(c);
        expect(artifact.ops).toEqual([c.op]); // one op per case: supports() can only name this one
        subject = { artifact, feeds, expected: await outputsOf(reference, artifact, feeds) };
      });
      check('op', c.name, () => subject);
    });
});

describe('canonical models (seeded weights) against onnxruntime-node', () => {
  for (const id of canonicalIds())
    describe(id, () => {
      let subject: Subject | undefined;
      beforeAll(async () => {
        if (!runners.some((r) => r.models === 'all' || r.models.includes(id))) return;
        const { artifact } = prepareModel(id, { seed: 0 });
        const feeds = { [artifact.inputs[0].name]: fixtureInput(artifact.inputs[0].shape) };
        subject = { artifact, feeds, expected: await outputsOf(reference, artifact, feeds) };
      });
      afterAll(() => void (subject = undefined)); // the large models' bytes are 100+ MB
      check('model', id, () => subject);
    });
});

/** one line per runner: what matched, the worst difference relative to its tolerance, what is unsupported */
function summary(): string {
  const lines = runners.map(({ id }) => {
    const mine = verdicts.filter((v) => v.runner === id);
    const part = (kind: 'op' | 'model') => {
      const vs = mine.filter((v) => v.kind === kind);
      const compared = vs.flatMap((v) => (v.v.status === 'unsupported' ? [] : [{ item: v.item, ...v.v }]));
      const worst = compared.reduce((w, v) => (v.maxDiff / v.tolerance > w.maxDiff / w.tolerance ? v : w), compared[0]);
      const unsupported = [...new Set(vs.flatMap((v) => (v.v.status === 'unsupported' ? v.v.unsupportedOps : [])))];
      const ok = compared.filter((v) => v.status === 'match').length;
      return `${ok}/${vs.length} ${kind === 'op' ? 'op cases' : 'models'} match` +
        (worst ? ` (worst ${worst.maxDiff.toExponential(1)} = ${(worst.maxDiff / worst.tolerance).toFixed(3)} x tol, ${worst.item})` : '') +
        (unsupported.length ? `, unsupported: ${unsupported.join(', ')}` : '');
    };
    return `  ${id}: ${part('op')}; ${part('model')}`;
  });
  for (const { descriptor, absent: why } of absent) lines.push(`  ${descriptor.id}: ABSENT, nothing compared (${why})`);
  return `conformance against onnxruntime-node (tolerance 1e-4 x max |reference|):\n${lines.join('\n')}`;
}
