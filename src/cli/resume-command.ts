import type { CableTestRef } from '../index.js';
import { PROGRAM_NAME } from './args.js';

/**
 * Builds the command that follows a started test until it completes, ready to paste into a
 * POSIX shell. `baseUrlFlag` is the `--base-url` value of this run: it is repeated so the
 * command reaches the same server. A base URL from CENTRAL_BASE_URL is not repeated.
 */
export function resumeCommand(ref: CableTestRef, baseUrlFlag: string | undefined): string {
  const words = [PROGRAM_NAME, 'cable-test-status', ref.serialNumber, ref.taskId, '--wait'];
  if (baseUrlFlag !== undefined) words.push('--base-url', baseUrlFlag);
  return words.map(quoteShellWord).join(' ');
}

/** Quotes a word for a POSIX shell when it contains characters the shell would interpret. */
function quoteShellWord(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
