import type { CableTestOutput } from '../generated/types.gen.js';

/**
 * Verdict on a port or pair. `good`: all pairs good. `open`: a pair is open, because nothing
 * is plugged in or the cable is cut at `lengthMetres`. `fault`: a short, an impedance
 * mismatch or crosstalk. `unknown`: a status this package does not classify, or no result.
 */
export type CableVerdict = 'good' | 'fault' | 'open' | 'unknown';

/**
 * Pair status as an AOS-S switch reports it. The listed values are the ones seen in the API
 * and in AOS-S cable diagnostics. Any other string is kept as sent and read as `unknown`.
 */
export type CablePairStatus = 'Good' | 'Open' | 'Short' | 'Impedance Mismatch' | 'Crosstalk' | (string & {});

/** One wire pair of a port. */
export interface PairSummary {
  /** Pins of the pair, such as `1-2`, or null when the server sent none. */
  pair: string | null;
  /** Status exactly as the switch reported it, such as `Open` or `Impedance Mismatch`. */
  status: CablePairStatus | null;
  verdict: CableVerdict;
  /** Length in metres (distance to the fault for open or shorted pairs), or null when unknown. */
  lengthMetres: number | null;
  /** Length exactly as the switch reported it. */
  rawLength: string | null;
}

/** One tested port. */
export interface PortSummary {
  port: string;
  /** Worst verdict of its pairs: fault, then unknown, then open, then good. */
  verdict: CableVerdict;
  /** True when the port was tested but the results do not mention it; the verdict is then `unknown`. */
  missing: boolean;
  pairs: PairSummary[];
}

/** Per-port reading of a cable test. */
export interface CableTestSummary {
  ports: PortSummary[];
  /** Number of ports per verdict, and of ports missing from the results. */
  counts: Record<CableVerdict | 'missing', number>;
}

/** Minimal input of `summarizeCableTest`: a `CableTestResult` or the raw API body. */
export interface SummarizableCableTest {
  output?: CableTestOutput | null;
}

const GOOD_STATUSES = new Set(['good', 'ok', 'normal', 'pass', 'passed']);
const OPEN_STATUSES = new Set(['open', 'open in pair']);
const FAULT_STATUSES = new Set([
  'short',
  'short in pair',
  'short between pairs',
  'cross short',
  'impedance mismatch',
  'impedance',
  'crosstalk',
  'cross talk',
  'cross-talk',
  'failed',
  'fail',
]);

const VERDICT_RANK: Record<CableVerdict, number> = { good: 0, open: 1, unknown: 2, fault: 3 };

/**
 * Reads a cable test result port by port. Ports come in the order of `output.ports`, then
 * any `requestedPorts` and result ports not listed there. A port without a result is
 * reported as missing with verdict `unknown`, never as good.
 *
 * @example
 * const summary = summarizeCableTest(result);
 * for (const port of summary.ports) console.log(port.port, port.verdict);
 */
export function summarizeCableTest(
  result: SummarizableCableTest,
  options: { requestedPorts?: readonly string[] } = {},
): CableTestSummary {
  const output = result?.output ?? null;
  const results = output?.results ?? [];

  const order: string[] = [];
  const addPort = (port: string) => {
    if (!order.includes(port)) order.push(port);
  };
  (output?.ports ?? []).forEach(addPort);
  (options.requestedPorts ?? []).forEach(addPort);
  results.forEach((entry) => addPort(entry.interfaceName));

  const ports = order.map((port): PortSummary => {
    const entry = results.find((candidate) => candidate.interfaceName === port);
    if (entry === undefined) return { port, verdict: 'unknown', missing: true, pairs: [] };

    const pairs = (entry.cablePairDiagnostics ?? []).map(summarizePair);
    return { port, verdict: worstVerdict(pairs), missing: false, pairs };
  });

  const counts = { good: 0, fault: 0, open: 0, unknown: 0, missing: 0 };
  for (const port of ports) {
    counts[port.verdict] += 1;
    if (port.missing) counts.missing += 1;
  }
  return { ports, counts };
}

/** Classifies a pair status string; unknown strings give `unknown`. */
export function pairVerdict(status: string | null | undefined): CableVerdict {
  const normalized = (status ?? '').trim().toLowerCase().replace(/[\s_]+/g, ' ');
  if (GOOD_STATUSES.has(normalized)) return 'good';
  if (OPEN_STATUSES.has(normalized)) return 'open';
  if (FAULT_STATUSES.has(normalized)) return 'fault';
  return 'unknown';
}

/** Parses a length in metres: `"0"` is 0, `""`, null and non-numeric text are null. */
export function parseLengthMetres(length: string | null | undefined): number | null {
  if (typeof length !== 'string') return null;
  const trimmed = length.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  return Number(trimmed);
}

function summarizePair(diagnostic: {
  pairName?: string;
  status?: string | null;
  length?: string | null;
}): PairSummary {
  return {
    pair: diagnostic.pairName ?? null,
    status: diagnostic.status ?? null,
    verdict: pairVerdict(diagnostic.status),
    lengthMetres: parseLengthMetres(diagnostic.length),
    rawLength: diagnostic.length ?? null,
  };
}

function worstVerdict(pairs: PairSummary[]): CableVerdict {
  if (pairs.length === 0) return 'unknown';
  return pairs.reduce<CableVerdict>(
    (worst, pair) => (VERDICT_RANK[pair.verdict] > VERDICT_RANK[worst] ? pair.verdict : worst),
    'good',
  );
}
