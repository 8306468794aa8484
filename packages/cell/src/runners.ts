/**
 * Every runner, listed once: each runner package's descriptors (id, runtime, what it shares, a lazy factory).
 * Runners are chosen explicitly by id (plans, --runner); nothing registers on import, and reading this list loads
 * no runtime: a cell's process imports its one runtime, not all of them (onnxruntime-web and tfjs cost ~0.3 s of
 * module loading per process, paid three times per cell by the default plan).
 */
import { NULL_RUNNERS, runnerCatalogue } from '@mvbench/runner-core';
import { ORT_NODE_RUNNERS } from '@mvbench/runner-ort-node/descriptors';
import { ORT_WEB_RUNNERS } from '@mvbench/runner-ort-web/descriptors';
import { TFJS_RUNNERS } from '@mvbench/runner-tfjs/descriptors';

export const RUNNERS = runnerCatalogue([...ORT_NODE_RUNNERS, ...TFJS_RUNNERS, ...ORT_WEB_RUNNERS, ...NULL_RUNNERS]);
