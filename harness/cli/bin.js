#!/usr/bin/env node
// The harness is TypeScript run by tsx (scenario files are TypeScript modules loaded at run time).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
await main(process.argv);
