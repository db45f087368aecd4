#!/usr/bin/env node
// The CLI straight from the TypeScript sources (through tsx), for tests that spawn it as a
// process: they test the code as it is now, not a dist/ built earlier, and can hand it
// TypeScript runner modules. bin/netisac.js is the compiled one users get.
import { register } from 'tsx/esm/api';

register();
await import('../../src/cli/run.ts');
