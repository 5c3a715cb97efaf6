#!/usr/bin/env node
// The `umbrella` command. It runs the compiled CLI; on a fresh clone it builds the server first.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli.js', import.meta.url);
if (!fs.existsSync(fileURLToPath(compiled))) {
  process.stderr.write('umbrella: building the server first (tsc -b packages/server)…\n');
  const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
  execFileSync(process.execPath, [tsc, '-b', fileURLToPath(new URL('..', import.meta.url))], {
    stdio: 'inherit',
  });
}
/** @type {{ runCli: (argv: string[], io: object) => Promise<number> }} */
const cli = await import(compiled.href);
process.exitCode = await cli.runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
