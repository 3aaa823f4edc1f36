#!/usr/bin/env node
// Entry point of the `central-troubleshoot` bin: runs `main` with the process's values.
import process from 'node:process';
import { main } from './program.js';

const controller = new AbortController();

// The first SIGINT or SIGTERM stops the run so it can print the task id and how to resume.
// The listeners are removed then, so a second signal ends the process at once.
const onSignal = (signal: NodeJS.Signals) => {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  controller.abort(new Error(`Received ${signal}.`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  signal: controller.signal,
});

process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
