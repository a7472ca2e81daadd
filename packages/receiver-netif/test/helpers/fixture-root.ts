import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostFs } from '../../src/hostfs/host-fs.js';
import type { LinkAttribute } from '../../src/parse/sysfs.js';

/** A throwaway root directory with proc/net/dev and sys/class/net/<if>/<attr> files. */
export class FixtureRoot {
  readonly path = mkdtempSync(join(tmpdir(), 'onr-root-'));

  writeProcNetDev(text: string): void {
    mkdirSync(join(this.path, 'proc/net'), { recursive: true });
    writeFileSync(join(this.path, 'proc/net/dev'), text);
  }

  writeLink(iface: string, attrs: Partial<Record<LinkAttribute, string>>): void {
    const dir = join(this.path, 'sys/class/net', iface);
    mkdirSync(dir, { recursive: true });
    for (const [k, v] of Object.entries(attrs)) writeFileSync(join(dir, k), `${v}\n`);
  }

  /** One attribute gone: reads of it find no value, as the kernel's EINVAL or a missing file give. */
  removeLinkAttribute(iface: string, attr: LinkAttribute): void {
    rmSync(join(this.path, 'sys/class/net', iface, attr), { force: true });
  }

  removeLink(iface: string): void {
    rmSync(join(this.path, 'sys/class/net', iface), { recursive: true, force: true });
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** A HostFs that records every sysfs read, to check how often link metadata is read. */
export class CountingHostFs extends HostFs {
  readonly linkReads: string[] = [];

  override readLinkAttribute(iface: string, attr: LinkAttribute): string | undefined {
    this.linkReads.push(`${iface}/${attr}`);
    return super.readLinkAttribute(iface, attr);
  }

  /** Interfaces whose link metadata was read since the last call, in order (one entry per interface). */
  takeInterfacesRead(): string[] {
    const ifaces = this.linkReads.filter((r) => r.endsWith('/operstate')).map((r) => r.slice(0, -'/operstate'.length));
    this.linkReads.length = 0;
    return ifaces;
  }
}

/** A settable monotonic clock. */
export class FakeClock {
  constructor(public ms = 1000) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Pinned so HrTimes in assertions and golden files do not depend on when the process started. */
export const TIME_ORIGIN = 1_700_000_000_000;
