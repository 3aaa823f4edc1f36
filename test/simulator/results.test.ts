import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { healthyLength, operationAt, portResults } from '../../src/simulator/results.js';
import { resolveScenario } from '../../src/simulator/scenarios.js';

const healthy = resolveScenario('*', {});
const STARTED_AT = Date.parse('2025-05-21T07:00:00.000Z');
const ORDER = ['INITIATED', 'RUNNING', 'COMPLETED'];

const portNames = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 10 });

describe('simulator: test state', () => {
  it('moves forward only', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600_000 }),
        fc.array(fc.integer({ min: -1_000, max: 1_200_000 }), { minLength: 2, maxLength: 20 }),
        (durationMs, offsets) => {
          const task = { serialNumber: 'SG1', ports: ['1'], startedAt: STARTED_AT, durationMs };
          const states = [...offsets].sort((a, b) => a - b).map((offset) => operationAt(task, healthy, STARTED_AT + offset));

          for (const [index, state] of states.entries()) {
            expect(state.progressPercent).toBeGreaterThanOrEqual(0);
            expect(state.progressPercent).toBeLessThanOrEqual(100);
            const previous = states[index - 1];
            if (previous === undefined) continue;
            expect(state.progressPercent).toBeGreaterThanOrEqual(previous.progressPercent);
            expect(ORDER.indexOf(state.status)).toBeGreaterThanOrEqual(ORDER.indexOf(previous.status));
          }
        },
      ),
    );
  });

  it('completes exactly at the duration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600_000 }), (durationMs) => {
        const task = { serialNumber: 'SG1', ports: ['1'], startedAt: STARTED_AT, durationMs };

        expect(operationAt(task, healthy, STARTED_AT + durationMs - 1).status).not.toBe('COMPLETED');
        expect(operationAt(task, healthy, STARTED_AT + durationMs).status).toBe('COMPLETED');
      }),
    );
  });

  it('completes at once with zero duration', () => {
    const task = { serialNumber: 'SG1', ports: ['1'], startedAt: STARTED_AT, durationMs: 0 };

    expect(operationAt(task, healthy, STARTED_AT)).toMatchObject({ status: 'COMPLETED', progressPercent: 100 });
  });

  it('keeps results and reason apart', () => {
    const failed = resolveScenario('X', { outcome: 'failed' });
    const task = { serialNumber: 'SG1', ports: ['9'], startedAt: STARTED_AT, durationMs: 100 };

    const running = operationAt(task, failed, STARTED_AT + 50);
    const ended = operationAt(task, failed, STARTED_AT + 100);

    expect(running).toMatchObject({ status: 'RUNNING', failReason: null, output: null, endTime: null });
    expect(ended).toMatchObject({ status: 'FAILED', output: null, endTime: '2025-05-21T07:00:00.100Z' });
    expect(ended.failReason).toContain('port 9');
  });
});

describe('simulator: port results', () => {
  it('lists the tested ports in order', () => {
    fc.assert(
      fc.property(portNames, fc.constantFrom('healthy', 'unplugged', 'cut', 'faults'), (ports, cabling) => {
        const scenario = resolveScenario('X', { cabling });

        const results = portResults('SG1', ports, scenario);

        expect(results.map((result) => result.interfaceName)).toEqual(ports);
        for (const result of results) {
          expect(result.cablePairDiagnostics.map((pair) => pair.pairName)).toEqual(['1-2', '3-6', '4-5', '7-8']);
        }
      }),
    );
  });

  it('omits the last port', () => {
    fc.assert(
      fc.property(portNames, (ports) => {
        const results = portResults('SG1', ports, resolveScenario('X', { omitLastPort: true }));

        expect(results.map((result) => result.interfaceName)).toEqual(ports.slice(0, -1));
      }),
    );
  });

  it('keeps healthy lengths from 3 to 97 m', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (serialNumber, port) => {
        const metres = healthyLength(serialNumber, port);

        expect(Number.isInteger(metres)).toBe(true);
        expect(metres).toBeGreaterThanOrEqual(3);
        expect(metres).toBeLessThanOrEqual(97);
      }),
    );
  });
});
