#!/usr/bin/env node
// The `flock` command: runs the TypeScript CLI through tsx so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/app/cli.ts');
await main(process.argv);
