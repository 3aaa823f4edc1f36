import type { CableTestRef } from '../index.js';
import { PROGRAM_NAME } from './args.js';

/**
 * Builds the command that follows a started test until it completes, ready to paste into a
 * POSIX shell. `gatewayFlags` are the `--base-url` or `--cluster` words of this run: they
 * are repeated so the command reaches the same server. Settings from the environment are not.
 */
export function resumeCommand(ref: CableTestRef, gatewayFlags: readonly string[]): string {
  const words = [PROGRAM_NAME, 'cable-test-status', ref.serialNumber, ref.taskId, '--wait', ...gatewayFlags];
  return words.map(quoteShellWord).join(' ');
}

/** Quotes a word for a POSIX shell when it contains characters the shell would interpret. */
function quoteShellWord(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
