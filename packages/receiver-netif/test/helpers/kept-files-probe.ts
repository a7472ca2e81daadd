// Run inside a throwaway network namespace (ip netns exec): changes veths under receivers whose
// refresh re-reads link state through kept-open sysfs files, and prints what it saw as JSON.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { HostFs } from '../../src/hostfs/host-fs.js';
import { NetifReceiver, SLOW_REFRESH_EVERY } from '../../src/receiver.js';
import type { LinkInfo } from '../../src/index.js';

// It adds and deletes links: never in the host's namespace (a recursive mocha run would load it).
// A throwaway namespace (ip netns exec remounts /sys) has loopback and at most this probe's links.
if (readdirSync('/sys/class/net').some((name) => name !== 'lo' && !name.startsWith('kv'))) {
  throw new Error('kept-files-probe changes links: run it inside a throwaway network namespace (ip netns exec), as receiver.test.ts does');
}

const ip = (...args: string[]): void => void execFileSync('ip', args);
/** Open descriptors of `iface`'s sysfs files, with what they point at. */
const openFds = (iface: string): string[] =>
  readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return `${fd}:${readlinkSync(`/proc/self/fd/${fd}`)}`;
      } catch {
        return '';
      }
    })
    .filter((t) => t.includes(`/net/${iface}/`));
function waitFor(iface: string, state: string): void {
  for (let i = 0; i < 250 && readFileSync(`/sys/class/net/${iface}/operstate`, 'utf8').trim() !== state; i++) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

let clock = 0;
const hostfs = new HostFs('/');
const receiver = new NetifReceiver({ rootPath: '/', include: ['kv0'], exclude: [], metadataRefreshMs: 1000 }, { now: () => clock, hostfs });
/** One sample 1 s on: one refresh of kv0. */
const link = (r = receiver, iface = 'kv0'): LinkInfo | undefined => {
  clock += 1000;
  return r.sample().interfaces.find((i) => i.name === iface)?.link;
};
/** Samples until `done` holds (at most `max`); how many it took, or -1. */
const samplesUntil = (done: (l: LinkInfo | undefined) => boolean, max: number): number => {
  for (let i = 1; i <= max; i++) if (done(link())) return i;
  return -1;
};

ip('link', 'add', 'kv0', 'type', 'veth', 'peer', 'name', 'kv1');
ip('link', 'set', 'kv0', 'up');
const peerDown = link();
const keptAfterFirst = hostfs.keptFiles;
const fdsAfterFirst = openFds('kv0');

ip('link', 'set', 'kv1', 'up');
waitFor('kv0', 'up');
const peerUp = link();
const fdsAfterRefresh = openFds('kv0');

// mtu is re-read on the SLOW_REFRESH_EVERY-th refresh (peerUp was the first), operstate on each.
ip('link', 'set', 'kv0', 'mtu', '1400');
const mtuSeenAfter = samplesUntil((l) => l?.mtu === 1400, SLOW_REFRESH_EVERY);

// Deleted and made again under the same name, with another mtu, within one interval: the kept files
// now belong to a link that is gone, and all of the new one must be read.
ip('link', 'del', 'kv0');
ip('link', 'add', 'kv0', 'mtu', '1300', 'type', 'veth', 'peer', 'name', 'kv1');
const lostBefore = hostfs.keptFilesLost;
const recreated = link();
const lostOnRecreate = hostfs.keptFilesLost - lostBefore;
// carrier of a down link fails (EINVAL) but its file is kept like operstate's: it is still the link's.
const recreatedFilesOpen = openFds('kv0').length;

// Renamed, and another link takes the name: the kept files follow the renamed link (reads through
// them still succeed), so only the reopen at a full refresh moves them to the new kv0.
ip('link', 'set', 'kv0', 'up');
ip('link', 'set', 'kv1', 'up');
waitFor('kv0', 'up');
const beforeRename = link();
ip('link', 'set', 'kv0', 'name', 'kv8');
ip('link', 'add', 'kv0', 'mtu', '1200', 'type', 'veth', 'peer', 'name', 'kv9');
const renamedSeenAfter = samplesUntil((l) => l?.operstate === 'down' && l.mtu === 1200, SLOW_REFRESH_EVERY);

ip('link', 'del', 'kv0');
ip('link', 'del', 'kv8');
const vanished = link();
const keptAfterVanish = hostfs.keptFiles;
receiver.close();
const keptAfterClose = hostfs.keptFiles;
const kv0FilesOpenAtEnd = openFds('kv0').length;

// A budget of two files (256 reserved, half of the rest): kv2's files are opened for every read.
ip('link', 'add', 'kv0', 'type', 'veth', 'peer', 'name', 'kv1');
ip('link', 'add', 'kv2', 'type', 'veth', 'peer', 'name', 'kv3');
const small = new NetifReceiver({ rootPath: '/', include: ['kv0', 'kv2'], exclude: [], metadataRefreshMs: 1000 }, { now: () => clock, hostfs: new HostFs('/', { openFileLimit: 260 }) });
link(small);
const budgetKv0Files = openFds('kv0').length;
const budgetKv2Files = openFds('kv2').length;
for (const i of ['kv0', 'kv1', 'kv2', 'kv3']) ip('link', 'set', i, 'up');
waitFor('kv0', 'up');
waitFor('kv2', 'up');
// Two interfaces, one refresh per second each: two samples refresh both.
link(small);
clock += 1000;
const budgetLinks = Object.fromEntries(small.sample().interfaces.map((i) => [i.name, i.link.operstate]));
small.close();

process.stdout.write(
  JSON.stringify({
    peerDown,
    keptAfterFirst,
    kv0FilesOpen: fdsAfterFirst.length,
    peerUp,
    fdsAfterRefreshSame: fdsAfterRefresh.join() === fdsAfterFirst.join(),
    mtuSeenAfter,
    recreated,
    lostOnRecreate,
    recreatedFilesOpen,
    beforeRename,
    renamedSeenAfter,
    vanished: vanished ?? null,
    keptAfterVanish,
    keptAfterClose,
    kv0FilesOpenAtEnd,
    budgetKv0Files,
    budgetKv2Files,
    budgetLinks,
    budgetFilesOpenAtEnd: openFds('kv0').length + openFds('kv2').length,
  }),
);
