/**
 * Attribution of onnxruntime's per-node kernel times to op categories and model scopes. Node names are the
 * builder's scopes (`stages.2.1.transformer.0.attn.qkv/MatMul`); onnxruntime keeps them through most fusions
 * (`.../MatMulAddFusion`) and names the nodes it inserts itself (`gemm_input_reshape`, `Transpose_token_12`):
 * those are reported as `runtime-inserted`.
 */
import type { KernelTiming } from '@mvbench/runner-core';
import type { Profile } from '@mvbench/results';

const CATEGORY: Record<string, string> = {};
const assign = (category: string, ops: string[]) => ops.forEach((op) => (CATEGORY[op] = category));
assign('convolution', ['Conv', 'FusedConv', 'NhwcConv', 'ConvTranspose']);
assign('matmul', ['MatMul', 'Gemm', 'FusedMatMul', 'FusedGemm', 'MatMulNBits']);
assign('normalisation', ['BatchNormalization', 'LayerNormalization', 'SkipLayerNormalization', 'InstanceNormalization', 'SimplifiedLayerNormalization', 'GroupNormalization']);
assign('activation', ['Sigmoid', 'QuickGelu', 'Relu', 'Clip', 'Erf', 'Gelu', 'BiasGelu', 'FastGelu', 'Tanh', 'HardSigmoid', 'HardSwish']);
assign('layout', ['Reshape', 'Transpose', 'Split', 'Concat', 'Flatten', 'Squeeze', 'Unsqueeze', 'Expand', 'Slice', 'Identity']);
assign('elementwise', ['Add', 'Mul', 'Div', 'Sub', 'Pow', 'Sqrt']);
assign('reduce', ['Softmax', 'ReduceSum', 'ReduceMean', 'ReduceL2', 'GlobalAveragePool']);

const scopeOf = (node: string): string | undefined => (node.includes('/') ? node.split('/')[0] : undefined);

/** `stem`, `stages.2`, `network.4`, `blocks.3`, `head.fc` ... from a scope path */
function stageOf(scope: string): string {
  const parts = scope.split('.');
  return /^(stages|network|blocks)$/.test(parts[0]) && parts[1] !== undefined ? `${parts[0]}.${parts[1]}` : parts[0];
}

export function attribute(timings: readonly KernelTiming[], runs: number): Profile {
  const byCategory: Record<string, number> = {}, byScope: Record<string, number> = {}, byOp: Record<string, number> = {};
  let total = 0;
  const add = (m: Record<string, number>, k: string, ms: number) => (m[k] = (m[k] ?? 0) + ms);
  for (const t of timings) {
    const ms = t.durUs / 1000 / runs;
    const scope = scopeOf(t.node);
    const inAttention = !!scope && /\.attn(\.|$)/.test(scope);
    let category = CATEGORY[t.op] ?? 'other';
    if (inAttention && (category === 'matmul' || category === 'reduce')) category = `attention ${category}`;
    add(byCategory, category, ms);
    add(byScope, scope ? `${stageOf(scope)}${inAttention ? ' attention' : ''}` : 'runtime-inserted', ms);
    add(byOp, t.op, ms);
    total += ms;
  }
  const round = (m: Record<string, number>) =>
    Object.fromEntries(Object.entries(m).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v * 1e4) / 1e4]));
  return { runs, totalMs: Math.round(total * 1e4) / 1e4, byCategory: round(byCategory), byScope: round(byScope), byOp: round(byOp) };
}
