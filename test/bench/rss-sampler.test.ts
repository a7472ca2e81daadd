import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { RssSampler, summariseRss } from '../../bench/lib/proc.js';

describe('the bench reads steady-state RSS as the median of many readings', () => {
  it('summarises readings as their median and largest', () => {
    assert.deepEqual(summariseRss([100, 101, 500, 102, 100]), { rssKb: 101, rssMaxKb: 500, rssReadings: 5 });
    const none = summariseRss([]);
    assert.ok(Number.isNaN(none.rssKb) && Number.isNaN(none.rssMaxKb));
    assert.equal(none.rssReadings, 0);
  });

  it('keeps a short spike out of the median and shows it as the largest reading', async function () {
    this.timeout(20_000);
    // A process that holds 200 MB for a fifth of its life, like a paced collection's transient.
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '-e',
        `setTimeout(() => {
           let b = Buffer.alloc(200e6, 1);
           setTimeout(() => { b = null; gc(); setTimeout(() => process.exit(0), 1600); }, 400);
         }, 1600);`,
      ],
      { stdio: 'ignore' },
    );
    const exited = once(child, 'exit');
    await new Promise((r) => setTimeout(r, 300));
    const sampler = new RssSampler(child.pid as number, 50);
    await new Promise((r) => setTimeout(r, 3000));
    const s = sampler.stop();
    await exited;
    assert.ok(s.rssReadings >= 30, `only ${s.rssReadings} readings`);
    assert.ok(s.rssKb < 150_000, `median ${s.rssKb} kB includes the spike`);
    assert.ok(s.rssMaxKb - s.rssKb > 150_000, `max ${s.rssMaxKb} kB missed the 200 MB spike (median ${s.rssKb} kB)`);
  });
});
