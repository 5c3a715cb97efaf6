#!/usr/bin/env node
// The `umbrella` command. It runs the compiled CLI; on a fresh clone it builds the server first.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli.js', import.meta.url);
if (!fs.existsSync(fileURLToPath(compiled))) {
  process.stderr.write('umbrella: building the server first (npm run build)…\n');
  const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
  execFileSync(process.execPath, [tsc, '-b', fileURLToPath(new URL('..', import.meta.url))], {
    stdio: 'inherit',
  });
}
const { runCli } = await import(compiled.href);
const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
process.exitCode = await runCli(process.argv.slice(2), io);
