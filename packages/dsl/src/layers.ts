/**
 * Layer composites as plain functions over the builder. Each creates its parameters in the current scope with
 * PyTorch's names (`weight`, `bias`, `running_mean`, ...) so scopes alone decide checkpoint names.
 */
import type { GraphBuilder, Value } from './builder.ts';

export type Activation = 'silu' | 'relu' | 'relu6' | 'gelu';

export interface ConvOptions {
  out: number;
  k: number;
  stride?: number;
  groups?: number;
  bias?: boolean;
}

export function conv2d(b: GraphBuilder, x: Value, o: ConvOptions): Value {
  const groups = o.groups ?? 1, stride = o.stride ?? 1, pad = (o.k - 1) >> 1;
  const fanOut = (o.out * o.k * o.k) / groups;
  // Kaiming uniform (fan_out, gain sqrt(2)): the variance of timm's kaiming_normal_, at a fraction of the cost
  const bound = Math.sqrt(6 / fanOut);
  const w = b.param('weight', [o.out, x.shape[1] / groups, o.k, o.k], { kind: 'uniform', low: -bound, high: bound });
  const bias = o.bias ? b.param('bias', [o.out], { kind: 'fill', value: 0 }) : undefined;
  return b.op.Conv([x, w, bias], {
    kernel_shape: [o.k, o.k],
    strides: [stride, stride],
    pads: [pad, pad, pad, pad],
    group: groups,
  });
}

export function batchNorm(b: GraphBuilder, x: Value): Value {
  const c = [x.shape[1]];
  const gamma = b.param('weight', c, { kind: 'fill', value: 1 });
  const beta = b.param('bias', c, { kind: 'fill', value: 0 });
  const mean = b.param('running_mean', c, { kind: 'fill', value: 0 }, { role: 'buffer' });
  const variance = b.param('running_var', c, { kind: 'fill', value: 1 }, { role: 'buffer' });
  return b.op.BatchNormalization([x, gamma, beta, mean, variance], { epsilon: 1e-5 });
}

export function activation(b: GraphBuilder, x: Value, kind: Activation): Value {
  switch (kind) {
    case 'relu':
      return b.op.Relu([x]);
    case 'relu6':
      return b.op.Clip([x, b.floats([0]), b.floats([6])]);
    case 'silu':
      return b.op.Mul([x, b.op.Sigmoid([x])]);
    case 'gelu': {
      // exact (erf) GELU, as nn.GELU(): 0.5 * x * (1 + erf(x / sqrt(2)))
      const erf = b.op.Erf([b.op.Div([x, b.floats([Math.SQRT2])])]);
      return b.op.Mul([b.op.Mul([x, b.op.Add([erf, b.floats([1])])]), b.floats([0.5])]);
    }
  }
}

/** timm ConvNormAct: scopes `conv` and `bn` */
export function convBnAct(b: GraphBuilder, x: Value, o: ConvOptions & { act?: Activation }): Value {
  const y = b.scope('conv', () => conv2d(b, x, o));
  const z = b.scope('bn', () => batchNorm(b, y));
  return o.act ? activation(b, z, o.act) : z;
}

/** nn.Linear on the last axis: the graph keeps the weight as [in, out] so MatMul needs no Transpose */
export function linear(b: GraphBuilder, x: Value, out: number, bias = true): Value {
  const inF = x.shape[x.shape.length - 1];
  const w = b.param('weight', [inF, out], { kind: 'trunc_normal', std: 0.02 }, { checkpointTransposed: true });
  const y = b.op.MatMul([x, w]);
  return bias ? b.op.Add([y, b.param('bias', [out], { kind: 'fill', value: 0 })]) : y;
}

/** a classifier Linear on [B, C]: Gemm with the checkpoint's [out, in] weight */
export function classifier(b: GraphBuilder, x: Value, out: number): Value {
  const w = b.param('weight', [out, x.shape[1]], { kind: 'trunc_normal', std: 0.02 });
  return b.op.Gemm([x, w, b.param('bias', [out], { kind: 'fill', value: 0 })], { transB: 1 });
}

export function layerNorm(b: GraphBuilder, x: Value): Value {
  const c = [x.shape[x.shape.length - 1]];
  const gamma = b.param('weight', c, { kind: 'fill', value: 1 });
  const beta = b.param('bias', c, { kind: 'fill', value: 0 });
  return b.op.LayerNormalization([x, gamma, beta], { axis: -1, epsilon: 1e-5 });
}

/**
 * GroupNorm with one group (timm GroupNorm1, cvnets LayerNorm2D_NCHW) on [B, C, ...]: statistics over all of
 * C and the spatial axes per sample, affine per channel. Written as torch exports it:
 * Reshape -> InstanceNormalization -> Reshape -> Mul -> Add.
 */
export function groupNorm1(b: GraphBuilder, x: Value): Value {
  const [batch, c, ...rest] = x.shape;
  const perChannel = [c, ...rest.map(() => 1)];
  const gamma = b.op.Reshape([b.param('weight', [c], { kind: 'fill', value: 1 }), b.ints(perChannel)]);
  const beta = b.op.Reshape([b.param('bias', [c], { kind: 'fill', value: 0 }), b.ints(perChannel)]);
  const flat = b.op.Reshape([x, b.ints([batch, 1, -1])]);
  const norm = b.op.InstanceNormalization([flat, b.floats([1], [1]), b.floats([0], [1])], { epsilon: 1e-5 });
  const back = b.op.Reshape([norm, b.ints(x.shape)]);
  return b.op.Add([b.op.Mul([back, gamma]), beta]);
}

/** global average pool over H, W -> [B, C] */
export function globalPool(b: GraphBuilder, x: Value): Value {
  return b.op.Flatten([b.op.GlobalAveragePool([x])], { axis: 1 });
}

/** F.normalize(x, dim): x / max(||x||_2, eps) */
export function l2Normalize(b: GraphBuilder, x: Value, axis: number, eps = 1e-12): Value {
  const norm = b.op.ReduceL2([x], { axes: [axis], keepdims: 1 });
  return b.op.Div([x, b.op.Clip([norm, b.floats([eps])])]);
}

export function makeDivisible(v: number, divisor = 8, minValue = divisor): number {
  const rounded = Math.max(minValue, Math.floor(v + divisor / 2) - (Math.floor(v + divisor / 2) % divisor));
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}
