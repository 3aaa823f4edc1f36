/**
 * Generated status bodies that spec/openapi.yaml allows, through `getCableTestStatus` (with
 * a fake fetch) and `summarizeCableTest`: neither may throw, and the summary must follow the
 * documented verdict rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  type CableTestOutput,
  type CableTestSummary,
  type CableVerdict,
  createTroubleshootingClient,
  pairVerdict,
  summarizeCableTest,
} from '../../src/index.js';
import {
  DOCUMENTED_PAIR_STATUSES,
  documentedStatusVariant,
  portName,
  specValidStatusBody,
  unclassifiedStatus,
} from '../helpers/body-arbitraries.js';
import { createFakeFetch } from '../helpers/fake-fetch.js';

/** Number of generated bodies or statuses per property. */
const RUNS = 2_000;
// Documented order of PortSummary.verdict: fault, then unknown, then open, then good.
const VERDICT_RANK: Record<CableVerdict, number> = { good: 0, open: 1, unknown: 2, fault: 3 };

/** Checks every documented rule of `summarizeCableTest` on one summary. */
function expectSummaryRules(output: CableTestOutput | null | undefined, requestedPorts: readonly string[], summary: CableTestSummary): void {
  const results = output?.results ?? [];
  const expectedOrder = [...new Set([...(output?.ports ?? []), ...requestedPorts, ...results.map((entry) => entry.interfaceName)])];
  expect(summary.ports.map((port) => port.port)).toEqual(expectedOrder);

  for (const port of summary.ports) {
    const entry = results.find((candidate) => candidate.interfaceName === port.port);
    if (entry === undefined) {
      // A port without a result is missing and unknown, never good.
      expect(port).toEqual({ port: port.port, verdict: 'unknown', missing: true, pairs: [] });
      continue;
    }

    const diagnostics = entry.cablePairDiagnostics ?? [];
    const verdicts = diagnostics.map((diagnostic) => pairVerdict(diagnostic.status));
    expect(port.missing).toBe(false);
    expect(port.pairs.map((pair) => pair.verdict)).toEqual(verdicts);
    expect(port.pairs.map((pair) => pair.status)).toEqual(diagnostics.map((diagnostic) => diagnostic.status ?? null));
    expect(port.pairs.map((pair) => pair.rawLength)).toEqual(diagnostics.map((diagnostic) => diagnostic.length ?? null));

    const worst = verdicts.reduce<CableVerdict>((current, verdict) => (VERDICT_RANK[verdict] > VERDICT_RANK[current] ? verdict : current), 'good');
    expect(port.verdict).toBe(verdicts.length === 0 ? 'unknown' : worst);
    if (port.verdict === 'good') expect(verdicts.length > 0 && verdicts.every((verdict) => verdict === 'good')).toBe(true);

    for (const pair of port.pairs) {
      const plainDecimal = typeof pair.rawLength === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(pair.rawLength);
      expect(pair.lengthMetres).toBe(plainDecimal ? Number(pair.rawLength!.trim()) : null);
    }
  }

  const { counts } = summary;
  expect(counts.good + counts.open + counts.fault + counts.unknown).toBe(summary.ports.length);
  expect(counts.missing).toBe(summary.ports.filter((port) => port.missing).length);
  for (const verdict of ['good', 'open', 'fault', 'unknown'] as const) {
    expect(counts[verdict]).toBe(summary.ports.filter((port) => port.verdict === verdict).length);
  }
}

describe('property: spec-valid status bodies', () => {
  it('parses and summarizes every body', async () => {
    let body = '';
    // The reply reads `body` when the request arrives, so each run sends its own body.
    const fake = createFakeFetch().route('GET', /\/async-operations\/task-1$/, () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
    const central = createTroubleshootingClient({ baseUrl: 'http://127.0.0.1:9', token: 'property-token', fetch: fake.fetch, maxRetries: 0 });

    await fc.assert(
      fc.asyncProperty(specValidStatusBody, fc.array(portName, { maxLength: 3 }), async (generated, requestedPorts) => {
        body = JSON.stringify(generated);
        const sent = JSON.parse(body) as Record<string, unknown>;

        const state = await central.getCableTestStatus({ serialNumber: 'SG30JY1234', taskId: 'task-1' });

        expect(state.status).toBe(sent.status);
        expect(state.progressPercent).toBe(sent.progressPercent ?? null);
        expect(state.startTime).toBe(sent.startTime ?? null);
        expect(state.endTime).toBe(sent.endTime ?? null);
        expect(state.failReason).toBe(sent.failReason ?? null);
        expect(state.output).toEqual(sent.output ?? null);
        expectSummaryRules(state.output, requestedPorts, summarizeCableTest(state, { requestedPorts }));
      }),
      { numRuns: RUNS },
    );
  });

  it('summarizes raw bodies', () => {
    fc.assert(
      fc.property(specValidStatusBody, (generated) => {
        const body = JSON.parse(JSON.stringify(generated)) as { output?: CableTestOutput | null };

        expectSummaryRules(body.output, [], summarizeCableTest(body));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('property: pair verdicts', () => {
  it('classifies documented statuses in any case', () => {
    fc.assert(
      fc.property(documentedStatusVariant, ({ sent, canonical }) => {
        expect(pairVerdict(sent)).toBe(DOCUMENTED_PAIR_STATUSES[canonical]);
      }),
      { numRuns: RUNS },
    );
  });

  it('leaves unclassified statuses unknown', () => {
    fc.assert(
      fc.property(unclassifiedStatus, (status) => {
        expect(pairVerdict(status)).toBe('unknown');
      }),
      { numRuns: RUNS },
    );
  });

  it('returns a verdict for any value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constant(null), fc.constant(undefined)), (status) => {
        expect(['good', 'open', 'fault', 'unknown']).toContain(pairVerdict(status));
      }),
      { numRuns: RUNS },
    );
  });
});
