/**
 * Running the agent as an unprivileged user: as root, through `setpriv` as nobody:nogroup with no
 * capabilities and no way to regain any; otherwise the test already is unprivileged.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const NOBODY_UID = 65534;

/** The `wrap` for startAgent that drops to nobody, or [] when this process is not root. */
export function unprivilegedWrap(): string[] {
  if (process.getuid?.() !== 0) return [];
  if (spawnSync('setpriv', ['--version']).error) throw new Error('setpriv is missing (util-linux); it drops the agent to nobody');
  return ['setpriv', `--reuid=${NOBODY_UID}`, `--regid=${NOBODY_UID}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs'];
}

/** Makes a tree the test made (mkdtemp gives 0700) readable by nobody: dirs 0755, files 0644. */
export function openToAll(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    const st = statSync(p);
    if (st.isDirectory()) openToAll(p);
    else chmodSync(p, 0o644);
  }
}
