#!/usr/bin/env node
// The `vaelab` command: a thin shim over the compiled CLI in dist/.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
