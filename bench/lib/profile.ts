import type { ProfileEntry } from './results.js';

/** The parts of a V8 .cpuprofile (inspector Profiler.Profile) that self time needs. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * Self time per function, biggest first, over samples taken `skipMs` or more after the profile
 * began (so an agent's start-up is left out). Idle time is not CPU and is not counted.
 */
export function topSelfTime(profile: CpuProfile, skipMs = 0, limit = 15): ProfileEntry[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfUs = new Map<string, { fn: string; where: string; us: number }>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let totalUs = 0;
  let elapsedUs = 0;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the gap before sample i; it is charged to the function that sample caught.
    const us = deltas[i] ?? 0;
    elapsedUs += us;
    const frame = byNode.get(samples[i] ?? -1);
    if (!frame || elapsedUs < skipMs * 1000 || frame.functionName === '(idle)') continue;
    const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/(packages|node_modules|bench)\//, '$1/');
    const where = file ? `${file}:${frame.lineNumber + 1}` : '(native)';
    const fn = frame.functionName || '(anonymous)';
    const key = `${fn} ${where}`;
    const e = selfUs.get(key) ?? { fn, where, us: 0 };
    e.us += us;
    selfUs.set(key, e);
    totalUs += us;
  }
  return [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((e) => ({ fn: e.fn, where: e.where, selfMs: e.us / 1000, selfPercent: totalUs > 0 ? (100 * e.us) / totalUs : 0 }));
}
