// Run in a child node (often under `ip netns exec`): samples once with the root path given in argv
// and prints the namespace warning for that root and for "/", and the sample, as JSON.
import { NetifReceiver } from '../../src/index.js';

const rootPath = process.argv[2] ?? '/';
const config = { include: [], exclude: [], metadataRefreshMs: 60_000 };
const receiver = new NetifReceiver({ ...config, rootPath });
const atSlash = new NetifReceiver({ ...config, rootPath: '/' });
process.stdout.write(
  JSON.stringify({ warning: receiver.namespaceWarning() ?? null, rootWarning: atSlash.namespaceWarning() ?? null, sample: receiver.sample() }),
);
