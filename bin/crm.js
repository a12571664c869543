#!/usr/bin/env node
// The crm launcher: all the work is in dist/cli.js, compiled from src/cli.ts on install.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
