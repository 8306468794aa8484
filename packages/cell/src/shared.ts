/**
 * Resources runners share across cell processes (a descriptor's `shares`): the parent keeps one and hands its
 * handle to each cell inside the job, as a RunnerContext value. Today one: a Chromium for the browser runners.
 */
import type { RunnerContext, SharedResource } from '@mvbench/runner-core';
import { RUNNERS } from './runners.ts';

const sharedBrowser = () => import('@mvbench/runner-ort-web/shared-browser');
const held = new Set<SharedResource>();

/**
 * the context of a cell of `runnerId`: launches the shared resource the first time, relaunches it when it died
 * (and closes pages a killed cell left behind); {} for a runner that shares nothing
 */
export async function contextFor(runnerId: string): Promise<RunnerContext> {
  const shares = RUNNERS.get(runnerId).shares;
  if (!shares) return {};
  held.add(shares);
  return { browserWs: (await (await sharedBrowser()).ensureSharedBrowser()).wsEndpoint };
}

/** closes what contextFor launched; at the end of a sweep or a regression check */
export async function releaseShared(): Promise<void> {
  if (held.delete('browser')) await (await sharedBrowser()).closeSharedBrowser();
}
