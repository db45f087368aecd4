#!/usr/bin/env node
// The installed `netisac` command: runs the compiled CLI from dist/ as one bundled script,
// started from V8's code cache (built by `npm run build`, which `npm ci` and `npm pack` run
// through the prepare/prepack scripts; scripts/build.mjs and src/cli/launch.ts say why).
let launch;
try {
  launch = await import('../dist/cli/launch.js');
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/launch.js')) {
    process.stderr.write('netisac: the compiled CLI (dist/) is missing; run `npm run build` in the package folder\n');
    process.exit(1);
  }
  throw err;
}
process.exitCode = await launch.runCli(process.argv.slice(2));
