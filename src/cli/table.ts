import type { CableTestRef, CableTestSummary, PairSummary, PortSummary } from '../index.js';
import { toPlainLine } from './plain-text.js';

const HEADER = ['port', 'pair', 'status', 'length (m)', 'verdict'];

/** Marks an empty cell. */
const NONE = '-';

/**
 * Formats a summary as a table with one row per wire pair. A port missing from the results
 * gets a single row with status `no result`, and a port without pair results one with
 * status `no pair results`.
 */
export function formatResultTable(summary: CableTestSummary): string {
  const rows = summary.ports.flatMap(portRows);
  return alignColumns([HEADER, ...rows]);
}

/**
 * Formats the one-line summary, such as
 * `2 ports tested: 0 good, 0 fault, 2 open, 0 unknown (task 5f0c…, serial SG30JY1234)`.
 * Missing ports are counted as unknown, and their number is given in brackets.
 */
export function formatSummaryLine(summary: CableTestSummary, ref: CableTestRef): string {
  const { counts } = summary;
  const portCount = summary.ports.length;
  const ports = `${portCount} ${portCount === 1 ? 'port' : 'ports'} tested`;
  const missing = counts.missing > 0 ? ` (${counts.missing} missing from the results)` : '';
  const verdicts = `${counts.good} good, ${counts.fault} fault, ${counts.open} open, ${counts.unknown} unknown${missing}`;
  return `${ports}: ${verdicts} (task ${toPlainLine(ref.taskId)}, serial ${toPlainLine(ref.serialNumber)})`;
}

function portRows(port: PortSummary): string[][] {
  const name = toPlainLine(port.port);
  if (port.missing) return [[name, NONE, 'no result', NONE, 'missing']];
  if (port.pairs.length === 0) return [[name, NONE, 'no pair results', NONE, port.verdict]];
  return port.pairs.map((pair) => [name, ...pairCells(pair)]);
}

function pairCells(pair: PairSummary): string[] {
  return [cell(pair.pair), cell(pair.status), formatLength(pair), pair.verdict];
}

// A length the summary could not parse is shown as the switch sent it, rather than hidden.
function formatLength(pair: PairSummary): string {
  if (pair.lengthMetres !== null) return String(pair.lengthMetres);
  return cell(pair.rawLength);
}

function cell(value: string | null): string {
  const text = value === null ? '' : toPlainLine(value);
  return text === '' ? NONE : text;
}

function alignColumns(rows: string[][]): string {
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) =>
    row
      .map((value, column) => (column === row.length - 1 ? value : value.padEnd(widths[column] ?? 0)))
      .join('  '),
  );
  return `${lines.join('\n')}\n`;
}
