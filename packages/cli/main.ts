#!/usr/bin/env node
// Entry of the connect2 command line (dist/cli/index.js, package.json `bin`): the work is in ./run.
import { run } from './run';

void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
