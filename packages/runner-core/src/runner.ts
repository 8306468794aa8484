/**
 * The one interface every runtime package implements (STYLE principle 8): four methods, exported as a factory,
 * chosen explicitly by the plan. Timing is not here: `measure()` wraps `run`.
 */
export type RunnerId = string; // '<runtime>:<device>': 'ort-node:cpu', 'ort-web:wasm', 'tfjs:wasm', or 'null'

export interface TensorSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

export interface ModelArtifact {
  id: string; // model spec string, e.g. 'mobilevit_xxs:patch=B'
  onnx: Uint8Array;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  ops: string[]; // distinct op names used, for supports()
}

export interface RunSettings {
  threads: number; // intra-op threads asked for
  graphOptimization?: 'disabled' | 'basic' | 'extended' | 'all'; // default 'all'
  profile?: boolean; // per-node profiling if the runtime can
}

/** `unavailable`: the runtime itself is missing on this machine (not installed, no browser), whatever the model */
export type Support = { ok: true } | { ok: false; reason: string; unsupportedOps: string[]; unavailable?: boolean };

/** A runner-specific session handle; `settingsUsed` records what the runtime was actually given. */
export interface Prepared {
  readonly settingsUsed: { threads: number; [k: string]: unknown };
}

export type Feeds = Record<string, Float32Array>;
export type Outputs = Record<string, { data: Float32Array; shape: number[] }>;

export interface Runner<P extends Prepared = Prepared> {
  readonly id: RunnerId;
  readonly versions: Record<string, string>; // e.g. { 'onnxruntime-node': '1.30.0' }
  supports(model: ModelArtifact): Support;
  prepare(model: ModelArtifact, settings: RunSettings): Promise<P>;
  run(prepared: P, feeds: Feeds): Promise<Outputs>;
  /** With an argument: release that session; without: everything the runner holds. */
  dispose(prepared?: P): Promise<void>;
  /**
   * optional: `n` inferences on `feeds`, each timed where it executes (in a browser page, with the page's
   * performance.now()), in ms and run order. A runner whose `run` crosses a process boundary provides it so that
   * measurement excludes the round trip; callers time `run` when it is absent.
   */
  timeRuns?(prepared: P, feeds: Feeds, n: number): Promise<number[]>;
  /** optional: per-node kernel timings of every run since `prepare` (prepared with `profile: true`) */
  endProfile?(prepared: P): KernelTiming[] | Promise<KernelTiming[]>;
}

export type RunnerFactory = (options?: Record<string, unknown>) => Runner;

/** One kernel execution as a runtime's profiler reports it (node names after the runtime's own fusions). */
export interface KernelTiming {
  node: string;
  op: string;
  durUs: number;
}
