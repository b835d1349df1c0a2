#!/usr/bin/env node
// The `tessera` command: Node 22.18+ runs the TypeScript sources directly.
import { runCli } from '../src/cli/run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
