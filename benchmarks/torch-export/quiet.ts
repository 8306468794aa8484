/** The machine is shared: wait for other benchmarks to finish and record how busy the CPUs were meanwhile. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

const busyMs = () => os.cpus().reduce((s, c) => s + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);

/** starts watching; the returned function gives the share of all CPUs other processes used since */
export function otherLoad(): () => number {
  const [b0, t0, u0] = [busyMs(), Date.now(), process.cpuUsage()];
  return () => {
    const u = process.cpuUsage(u0);
    const other = busyMs() - b0 - (u.user + u.system) / 1000;
    return Math.min(1, Math.max(0, other / ((Date.now() - t0) * os.cpus().length)));
  };
}

/** other benchmark or sweep processes (pgrep), excluding this one and its ancestors */
function otherBenchmarks(): string[] {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-af', 'precision.ts|main.ts sweep|benchmarks/'], { encoding: 'utf8' });
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
  const mine = new Set([process.pid, process.ppid].map(String));
  return out.split('\n').filter((l) => l && !mine.has(l.split(' ')[0]) && !l.includes('torch-export/'));
}

/** waits (up to maxS seconds) until no other benchmark runs and the 1-minute load average is below 0.5 */
export async function waitQuiet(maxS: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const others = otherBenchmarks();
    const load = os.loadavg()[0];
    if (!others.length && load < 0.5) break;
    if ((Date.now() - t0) / 1000 >= maxS) {
      console.error(`still busy after ${maxS} s (load ${load.toFixed(2)}, ${others.length} other benchmark process(es)): measuring anyway`);
      break;
    }
    await new Promise((r) => setTimeout(r, 5000));
  }
  return (Date.now() - t0) / 1000;
}
