/**
 * Synchronous undo steps run on normal exit, on an uncaught error, and on SIGINT/SIGTERM, so an
 * interrupted bench never leaves namespaces with thousands of interfaces or servers behind.
 */
const steps = new Map<number, () => void>();
let nextId = 0;
let installed = false;

export function onCleanup(step: () => void): () => void {
  install();
  const id = nextId++;
  steps.set(id, step);
  return () => {
    steps.delete(id);
  };
}

export function runCleanup(): void {
  // Newest first: servers stop before the namespace they live in is deleted.
  for (const id of [...steps.keys()].reverse()) {
    const step = steps.get(id);
    steps.delete(id);
    try {
      step?.();
    } catch (err) {
      process.stderr.write(`cleanup: ${(err as Error).message}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runCleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, cleaning up\n`);
      runCleanup();
      process.exit(130);
    });
  }
}
