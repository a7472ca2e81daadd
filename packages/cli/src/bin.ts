#!/usr/bin/env node
import { main } from './main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Let stdout drain and handles close on their own; a stuck socket (a hung OTLP connection after
// the shutdown timeout) must not keep the process alive past that.
setTimeout(() => process.exit(code), 250).unref();
