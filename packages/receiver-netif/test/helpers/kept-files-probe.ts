// Run inside a throwaway network namespace (ip netns exec): changes a veth under a receiver whose
// refresh re-reads link state through kept-open sysfs files, and prints what it saw as JSON.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { NetifReceiver } from '../../src/index.js';
import type { LinkInfo } from '../../src/index.js';

const ip = (...args: string[]): void => void execFileSync('ip', args);
/** Open descriptors of kv0's sysfs files, with what they point at. */
const openFds = (): string[] =>
  readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return `${fd}:${readlinkSync(`/proc/self/fd/${fd}`)}`;
      } catch {
        return '';
      }
    })
    .filter((t) => t.includes('/net/kv0/'));
function waitFor(iface: string, state: string): void {
  for (let i = 0; i < 250 && readFileSync(`/sys/class/net/${iface}/operstate`, 'utf8').trim() !== state; i++) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

let clock = 0;
const receiver = new NetifReceiver({ rootPath: '/', include: ['kv0'], exclude: [], metadataRefreshMs: 1000 }, { now: () => clock });
const link = (): LinkInfo | undefined => {
  clock += 1000;
  return receiver.sample().interfaces.find((i) => i.name === 'kv0')?.link;
};
const fs = (receiver as unknown as { fs: { keptFiles: number } }).fs;

ip('link', 'add', 'kv0', 'type', 'veth', 'peer', 'name', 'kv1');
ip('link', 'set', 'kv0', 'up');
const peerDown = link();
const keptAfterFirst = fs.keptFiles;
const fdsAfterFirst = openFds();

ip('link', 'set', 'kv1', 'up');
waitFor('kv0', 'up');
const peerUp = link();
const fdsAfterRefresh = openFds();

// Deleted and made again under the same name within one interval: the kept files now belong to a
// link that is gone, and the new one must be read.
ip('link', 'del', 'kv0');
ip('link', 'add', 'kv0', 'type', 'veth', 'peer', 'name', 'kv1');
const recreated = link();

ip('link', 'del', 'kv0');
const vanished = link();
const keptAfterVanish = fs.keptFiles;
receiver.close();

process.stdout.write(
  JSON.stringify({ peerDown, keptAfterFirst, kv0FilesOpen: fdsAfterFirst.length, peerUp, fdsAfterRefreshSame: fdsAfterRefresh.join() === fdsAfterFirst.join(), recreated, vanished: vanished ?? null, keptAfterVanish, keptAfterClose: fs.keptFiles, kv0FilesOpenAtEnd: openFds().length }),
);
