#!/usr/bin/env node
// The installed `netisac` command: runs the compiled CLI from dist/ as one bundled file
// (built by `npm run build`, which `npm ci` and `npm pack` run through the prepare/prepack
// scripts; scripts/build.mjs says why it is bundled).
try {
  await import('../dist/cli/netisac.bundle.js');
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/netisac.bundle.js')) {
    process.stderr.write('netisac: the compiled CLI (dist/) is missing; run `npm run build` in the package folder\n');
    process.exit(1);
  }
  throw err;
}
