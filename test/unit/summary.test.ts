import { describe, expect, it } from 'vitest';

import { type CableTestOutput, pairVerdict, parseLengthMetres, summarizeCableTest } from '../../src/index.js';

const ALL_OPEN = [
  { length: '0', status: 'Open', pairName: '1-2' },
  { length: '0', status: 'Open', pairName: '3-6' },
  { length: '0', status: 'Open', pairName: '4-5' },
  { length: '0', status: 'Open', pairName: '7-8' },
];

// The `completed` example of the status response in spec/openapi.yaml: nothing is plugged
// into ports 3 and 6.
const NOTHING_PLUGGED_IN: CableTestOutput = {
  results: [
    { cablePairDiagnostics: ALL_OPEN, interfaceName: '3' },
    { cablePairDiagnostics: ALL_OPEN, interfaceName: '6' },
  ],
  ports: ['3', '6'],
};

// The `mixed` example of the status response in spec/openapi.yaml.
const MIXED: CableTestOutput = {
  results: [
    {
      cablePairDiagnostics: [
        { length: '37', status: 'Good', pairName: '1-2' },
        { length: '37', status: 'Good', pairName: '3-6' },
        { length: '38', status: 'Good', pairName: '4-5' },
        { length: '37', status: 'Good', pairName: '7-8' },
      ],
      interfaceName: 'A1',
    },
    {
      cablePairDiagnostics: [
        { length: '12', status: 'Short', pairName: '1-2' },
        { length: '55', status: 'Good', pairName: '3-6' },
        { length: '', status: 'Impedance Mismatch', pairName: '4-5' },
        { length: '55', status: 'Good', pairName: '7-8' },
      ],
      interfaceName: 'A2',
    },
  ],
  ports: ['A1', 'A2'],
};

describe('summarizeCableTest', () => {
  it('reads all-Open pairs of length 0 as open', () => {
    const summary = summarizeCableTest({ output: NOTHING_PLUGGED_IN });

    expect(summary.ports.map((port) => port.port)).toEqual(['3', '6']);
    for (const port of summary.ports) {
      expect(port.verdict).toBe('open');
      expect(port.missing).toBe(false);
      expect(port.pairs.map((pair) => pair.pair)).toEqual(['1-2', '3-6', '4-5', '7-8']);
      for (const pair of port.pairs) {
        expect(pair).toEqual({ pair: pair.pair, status: 'Open', verdict: 'open', lengthMetres: 0, rawLength: '0' });
      }
    }
    expect(summary.counts).toEqual({ good: 0, fault: 0, open: 2, unknown: 0, missing: 0 });
  });

  it('reads the mixed example per port', () => {
    const summary = summarizeCableTest({ output: MIXED });

    expect(summary.ports.map(({ port, verdict }) => ({ port, verdict }))).toEqual([
      { port: 'A1', verdict: 'good' },
      { port: 'A2', verdict: 'fault' },
    ]);
    expect(summary.ports[0]?.pairs.map((pair) => pair.lengthMetres)).toEqual([37, 37, 38, 37]);
    expect(summary.counts).toEqual({ good: 1, fault: 1, open: 0, unknown: 0, missing: 0 });
  });

  it('keeps pair statuses verbatim', () => {
    const summary = summarizeCableTest({ output: MIXED });

    expect(summary.ports[1]?.pairs).toEqual([
      { pair: '1-2', status: 'Short', verdict: 'fault', lengthMetres: 12, rawLength: '12' },
      { pair: '3-6', status: 'Good', verdict: 'good', lengthMetres: 55, rawLength: '55' },
      { pair: '4-5', status: 'Impedance Mismatch', verdict: 'fault', lengthMetres: null, rawLength: '' },
      { pair: '7-8', status: 'Good', verdict: 'good', lengthMetres: 55, rawLength: '55' },
    ]);
  });

  it('reads an unknown status as unknown, verbatim', () => {
    const summary = summarizeCableTest({
      output: {
        ports: ['5'],
        results: [
          {
            interfaceName: '5',
            cablePairDiagnostics: [
              { pairName: '1-2', status: 'Good', length: '20' },
              { pairName: '3-6', status: 'Marginal Return Loss', length: '20' },
            ],
          },
        ],
      },
    });

    expect(summary.ports[0]?.verdict).toBe('unknown');
    expect(summary.ports[0]?.pairs[1]).toEqual({
      pair: '3-6',
      status: 'Marginal Return Loss',
      verdict: 'unknown',
      lengthMetres: 20,
      rawLength: '20',
    });
  });

  it('reports a port without results as missing', () => {
    const summary = summarizeCableTest({
      output: { ports: ['3', '6'], results: [{ interfaceName: '3', cablePairDiagnostics: ALL_OPEN }] },
    });

    expect(summary.ports[1]).toEqual({ port: '6', verdict: 'unknown', missing: true, pairs: [] });
    expect(summary.counts).toEqual({ good: 0, fault: 0, open: 1, unknown: 1, missing: 1 });
  });

  it('never reads a missing port as good', () => {
    const summary = summarizeCableTest({
      output: {
        ports: ['1', '2'],
        results: [
          {
            interfaceName: '1',
            cablePairDiagnostics: [
              { pairName: '1-2', status: 'Good', length: '3' },
              { pairName: '3-6', status: 'Good', length: '3' },
            ],
          },
        ],
      },
    });

    expect(summary.ports.map((port) => port.verdict)).toEqual(['good', 'unknown']);
    expect(summary.counts.good).toBe(1);
    expect(summary.counts.missing).toBe(1);
  });

  it('adds requested ports missing from the output', () => {
    const summary = summarizeCableTest({ output: NOTHING_PLUGGED_IN }, { requestedPorts: ['3', '6', '7'] });

    expect(summary.ports.map(({ port, missing }) => ({ port, missing }))).toEqual([
      { port: '3', missing: false },
      { port: '6', missing: false },
      { port: '7', missing: true },
    ]);
    expect(summary.counts).toEqual({ good: 0, fault: 0, open: 2, unknown: 1, missing: 1 });
  });

  it('lists result ports that output.ports omits', () => {
    const summary = summarizeCableTest({
      output: { ports: ['3'], results: [{ interfaceName: '6', cablePairDiagnostics: ALL_OPEN }] },
    });

    expect(summary.ports.map(({ port, missing, verdict }) => ({ port, missing, verdict }))).toEqual([
      { port: '3', missing: true, verdict: 'unknown' },
      { port: '6', missing: false, verdict: 'open' },
    ]);
  });

  it('reads a port without pair diagnostics as unknown', () => {
    const summary = summarizeCableTest({
      output: { ports: ['3', '6'], results: [{ interfaceName: '3' }, { interfaceName: '6', cablePairDiagnostics: [] }] },
    });

    expect(summary.ports.map((port) => port.verdict)).toEqual(['unknown', 'unknown']);
    expect(summary.ports.map((port) => port.missing)).toEqual([false, false]);
    expect(summary.counts.good).toBe(0);
  });

  it('ranks fault over unknown over open', () => {
    const port = (statuses: string[]) =>
      summarizeCableTest({
        output: {
          results: [
            { interfaceName: 'p', cablePairDiagnostics: statuses.map((status, index) => ({ pairName: String(index), status, length: '1' })) },
          ],
        },
      }).ports[0]?.verdict;

    expect(port(['Good', 'Open'])).toBe('open');
    expect(port(['Open', 'Mystery'])).toBe('unknown');
    expect(port(['Mystery', 'Short', 'Open'])).toBe('fault');
    expect(port(['Good', 'Good'])).toBe('good');
  });

  it('keeps a null pair status and length as null', () => {
    const summary = summarizeCableTest({
      output: { results: [{ interfaceName: '3', cablePairDiagnostics: [{ status: null, length: null }] }] },
    });

    expect(summary.ports[0]?.pairs[0]).toEqual({ pair: null, status: null, verdict: 'unknown', lengthMetres: null, rawLength: null });
    expect(summary.ports[0]?.verdict).toBe('unknown');
  });

  it.each([null, undefined])('returns no ports for output %s', (output) => {
    const summary = summarizeCableTest({ output });

    expect(summary.ports).toEqual([]);
    expect(summary.counts).toEqual({ good: 0, fault: 0, open: 0, unknown: 0, missing: 0 });
  });

  it.each([
    ['Good', 'good'],
    ['Open', 'open'],
    ['Short', 'fault'],
    ['Impedance Mismatch', 'fault'],
    ['Crosstalk', 'fault'],
    ['  open  ', 'open'],
    ['IMPEDANCE_MISMATCH', 'fault'],
    ['Not Tested', 'unknown'],
    ['', 'unknown'],
  ])('classifies pair status %j as %s', (status, verdict) => {
    expect(pairVerdict(status)).toBe(verdict);
  });

  it.each([
    ['0', 0],
    ['37', 37],
    ['2.5', 2.5],
    [' 12 ', 12],
    ['', null],
    ['n/a', null],
    ['-1', null],
    ['12m', null],
  ])('parses length %j as %s', (length, metres) => {
    expect(parseLengthMetres(length)).toBe(metres);
  });
});
