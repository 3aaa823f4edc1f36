import type { CablingProfile, PairDiagnosticSetting, PortResultSetting, Scenario } from './types.js';

/** Pins of the four wire pairs, in the order the switch reports them. */
export const PAIR_NAMES = ['1-2', '3-6', '4-5', '7-8'] as const;

/** Share of the duration during which a test reports its initial status with 0% progress. */
export const INITIATED_SHARE = 0.1;

/** Diagnostic of one wire pair, as the API sends it. */
export interface PairDiagnostic {
  pairName: string;
  status: string | null;
  length: string | null;
}

/** Result of one port, as the API sends it. */
export interface PortResult {
  interfaceName: string;
  cablePairDiagnostics: PairDiagnostic[];
}

/** Body of a status response (`CableTestOperation` in the spec). */
export interface OperationBody {
  status: string;
  progressPercent: number;
  startTime: string;
  endTime: string | null;
  failReason: string | null;
  output: { ports: string[]; results: PortResult[] } | null;
}

/** Facts about a started test that its state depends on. */
export interface TaskTiming {
  serialNumber: string;
  ports: readonly string[];
  startedAt: number;
  durationMs: number;
}

/**
 * Computes the state of a test at `now` from the time elapsed since its start, so no timer
 * is needed. The test reports its initial status (0%) for the first 10% of the duration,
 * then `RUNNING` with a percentage that rises from 1 to 99, then `COMPLETED` or `FAILED` at
 * 100%. A clock set before the start counts as no time elapsed.
 */
export function operationAt(task: TaskTiming, scenario: Scenario, now: number): OperationBody {
  const elapsed = Math.max(0, now - task.startedAt);
  const startTime = new Date(task.startedAt).toISOString();
  const unfinished = { startTime, endTime: null, failReason: null, output: null };

  if (elapsed < task.durationMs * INITIATED_SHARE) {
    return { status: scenario.initialStatus, progressPercent: 0, ...unfinished };
  }
  if (elapsed < task.durationMs) {
    const progressPercent = Math.min(99, Math.max(1, Math.floor((elapsed * 100) / task.durationMs)));
    return { status: 'RUNNING', progressPercent, ...unfinished };
  }

  const endTime = new Date(task.startedAt + task.durationMs).toISOString();
  if (scenario.outcome === 'failed') {
    const failReason = scenario.failReason.replaceAll('{port}', task.ports[0] ?? '');
    return { status: 'FAILED', progressPercent: 100, startTime, endTime, failReason, output: null };
  }
  return {
    status: 'COMPLETED',
    progressPercent: 100,
    startTime,
    endTime,
    failReason: null,
    output: { ports: [...task.ports], results: portResults(task.serialNumber, task.ports, scenario) },
  };
}

/** Builds the results of the tested ports, in the order they were requested, leaving out the missing ones. */
export function portResults(serialNumber: string, ports: readonly string[], scenario: Scenario): PortResult[] {
  const results: PortResult[] = [];

  ports.forEach((port, index) => {
    if (scenario.omitLastPort && index === ports.length - 1) return;
    // Own properties only, so a port named "toString" or "__proto__" gets the default profile.
    const setting = Object.hasOwn(scenario.ports, port) ? (scenario.ports[port] as PortResultSetting) : scenario.cabling;
    if (setting === 'missing') return;

    const pairs = typeof setting === 'string' ? profilePairs(setting, serialNumber, port) : setting;
    results.push({
      interfaceName: port,
      cablePairDiagnostics: pairs.map((pair, pairIndex) => ({
        pairName: PAIR_NAMES[pairIndex] ?? String(pairIndex + 1),
        status: pair.status,
        length: pair.length,
      })),
    });
  });
  return results;
}

function profilePairs(profile: Exclude<CablingProfile, 'missing'>, serialNumber: string, port: string): PairDiagnosticSetting[] {
  switch (profile) {
    case 'healthy': {
      const metres = healthyLength(serialNumber, port);
      // The pairs of one cable differ by up to a metre because of their twist rates.
      return [metres, metres, metres + 1, metres].map((length) => ({ status: 'Good', length: String(length) }));
    }
    case 'unplugged':
      return PAIR_NAMES.map(() => ({ status: 'Open', length: '0' }));
    case 'cut':
      return PAIR_NAMES.map(() => ({ status: 'Open', length: '23' }));
    case 'faults':
      return [
        { status: 'Short', length: '12' },
        { status: 'Impedance Mismatch', length: '' },
        { status: 'Crosstalk', length: '7' },
        { status: 'Unknown Fault', length: '' },
      ];
  }
}

/** Returns a cable length from 3 to 97 m that stays the same for a serial number and port (FNV-1a hash). */
export function healthyLength(serialNumber: string, port: string): number {
  let hash = 0x811c9dc5;
  for (const character of `${serialNumber}/${port}`) {
    hash ^= character.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 3 + (hash % 95);
}
