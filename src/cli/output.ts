import { type CableTestProgress, type CableTestState, summarizeCableTest } from '../index.js';
import { toPlainLine } from './plain-text.js';
import { formatResultTable, formatSummaryLine } from './table.js';

/**
 * Formats a completed test: the table and the summary line, or with `json` the object
 * `{ result, summary }` where `result` is the state returned by the client. `requestedPorts`
 * are the ports this run requested, so a port missing from the results still gets a row.
 */
export function formatCompleted(
  result: CableTestState,
  options: { json: boolean; requestedPorts?: readonly string[] | undefined },
): string {
  const summary = summarizeCableTest(result, { requestedPorts: options.requestedPorts });
  if (options.json) return formatJson({ result, summary });

  const table = summary.ports.length === 0 ? 'The result lists no ports.\n' : formatResultTable(summary);
  return `${table}\n${formatSummaryLine(summary, result)}\n`;
}

/**
 * Formats a test that has not finished, or that failed, as one status request returned it.
 * The JSON form has `summary: null`, so scripts can test for it.
 */
export function formatUnfinished(state: CableTestState, options: { json: boolean; resumeCommand: string }): string {
  if (options.json) return formatJson({ result: state, summary: null });

  const progress = state.progressPercent === null ? 'progress unknown' : `${state.progressPercent}% done`;
  return (
    `Cable test ${toPlainLine(state.taskId)} on ${toPlainLine(state.serialNumber)} is ${toPlainLine(state.status)} (${progress}).\n` +
    `Wait for it with: ${options.resumeCommand}\n`
  );
}

/** Formats the JSON form of a failed test for stdout. The error itself goes to stderr. */
export function formatFailedJson(state: unknown): string {
  return formatJson({ result: state, summary: null });
}

/** Formats one progress report for stderr. Poll 0 is the report made right after the start. */
export function formatProgress(progress: CableTestProgress): string {
  const task = toPlainLine(progress.taskId);
  const serialNumber = toPlainLine(progress.serialNumber);
  const status = toPlainLine(progress.status);
  if (progress.poll === 0) return `Started cable test ${task} on ${serialNumber} (${status}).\n`;

  const percent = progress.progressPercent === null ? '' : ` ${progress.progressPercent}%`;
  const seconds = Math.round(progress.elapsedMs / 1000);
  return `Cable test ${task}: ${status}${percent} (poll ${progress.poll}, ${seconds} s)\n`;
}

function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
