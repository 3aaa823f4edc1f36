// Benchmarks of the client (`npm run bench`): CPU cost of reading results, per-request
// overhead of the client, memory per client, and a 48-port run against the local simulator.
// Results and the targets they are held to go to BENCHMARKS.md. Traffic goes only to a
// simulator started here on 127.0.0.1.
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createTroubleshootingClient, summarizeCableTest } from '../src/index.js';
import { start } from '../src/simulator/index.js';

interface Measurement {
  name: string;
  value: number;
  unit: string;
  target: number;
  /** True when a lower value is better. */
  lowerIsBetter: boolean;
  detail: string;
}

const SERIAL_NUMBER = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const PORTS_48 = Array.from({ length: 48 }, (_, index) => String(index + 1));
const PAIRS = ['1-2', '3-6', '4-5', '7-8'];

/** A COMPLETED body for 48 ports, every pair good, as the API would return it. */
const COMPLETED_48 = {
  status: 'COMPLETED',
  progressPercent: 100,
  startTime: '2025-05-21T04:49:39.372776208Z',
  endTime: '2025-05-21T04:55:40.514983412Z',
  failReason: null,
  output: {
    ports: PORTS_48,
    results: PORTS_48.map((port) => ({
      interfaceName: port,
      cablePairDiagnostics: PAIRS.map((pairName) => ({ pairName, status: 'Good', length: '37' })),
    })),
  },
};
const COMPLETED_48_TEXT = JSON.stringify(COMPLETED_48);

/** Runs `body` repeatedly for about `durationMs` after a warm-up and returns microseconds per call. */
async function microsecondsPerCall(body: () => unknown | Promise<unknown>, durationMs = 1_000): Promise<number> {
  for (let index = 0; index < 200; index++) await body();

  let calls = 0;
  const startedAt = performance.now();
  while (performance.now() - startedAt < durationMs) {
    for (let index = 0; index < 50; index++) await body();
    calls += 50;
  }
  return ((performance.now() - startedAt) * 1000) / calls;
}

async function measureSummary(): Promise<Measurement> {
  const microseconds = await microsecondsPerCall(() => summarizeCableTest(COMPLETED_48));
  return {
    name: 'summarizeCableTest, 48 ports',
    value: microseconds,
    unit: 'µs per call',
    target: 200,
    lowerIsBetter: true,
    detail: '48 ports × 4 pairs, all Good',
  };
}

async function measureStatusRequest(): Promise<Measurement> {
  // An in-memory fetch isolates the client's own work: URL building, token, parsing, validation.
  const fetch: typeof globalThis.fetch = async () =>
    new Response(COMPLETED_48_TEXT, { status: 200, headers: { 'content-type': 'application/json' } });
  const central = createTroubleshootingClient({ baseUrl: 'https://central.test', token: 'bench-token', fetch });

  const microseconds = await microsecondsPerCall(() =>
    central.getCableTestStatus({ serialNumber: SERIAL_NUMBER, taskId: TASK_ID }),
  );
  return {
    name: 'getCableTestStatus overhead, 48-port body',
    value: microseconds,
    unit: 'µs per call',
    target: 1_000,
    lowerIsBetter: true,
    detail: `in-memory fetch, ${COMPLETED_48_TEXT.length} byte body, response validated with valibot`,
  };
}

async function measureClientMemory(): Promise<Measurement> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;

  const clients = Array.from({ length: 1_000 }, (_, index) =>
    createTroubleshootingClient({ baseUrl: 'https://central.test', token: `bench-token-${index}` }),
  );
  gc?.();
  const bytesPerClient = (process.memoryUsage().heapUsed - before) / clients.length;

  return {
    name: 'memory per client',
    value: bytesPerClient / 1024,
    unit: 'KiB',
    target: 16,
    lowerIsBetter: true,
    detail: `heap growth over 1000 clients${gc === undefined ? ' (run without --expose-gc: an estimate)' : ''}`,
  };
}

async function measureSimulatedRun(): Promise<Measurement[]> {
  const simulator = await start({ durationMs: 5_000 });
  try {
    const central = createTroubleshootingClient({ baseUrl: simulator.url, token: 'bench-token' });
    const startedAt = performance.now();
    const result = await central.runCableTest({ serialNumber: 'SIM-HEALTHY-01', ports: PORTS_48 });
    const seconds = (performance.now() - startedAt) / 1000;
    const requests = simulator.requests.length;

    return [
      {
        name: '48-port run on the simulator (5 s test), time to result',
        value: seconds,
        unit: 's',
        // The result comes at most one poll interval after the end; at 5 s the interval is about 3.4 s.
        target: 8.5,
        lowerIsBetter: true,
        detail: `${result.polls} polls with the default backoff (1 s, growing by 1.5 per poll)`,
      },
      {
        name: '48-port run on the simulator (5 s test), requests sent',
        value: requests,
        unit: 'requests',
        target: 10,
        lowerIsBetter: true,
        detail: '1 start request and the status requests',
      },
    ];
  } finally {
    await simulator.close();
  }
}

function formatRow(measurement: Measurement): string {
  const met = measurement.lowerIsBetter ? measurement.value <= measurement.target : measurement.value >= measurement.target;
  const value = Number.isInteger(measurement.value) || measurement.value >= 10 ? measurement.value.toFixed(0) : measurement.value.toFixed(2);
  const comparison = measurement.lowerIsBetter ? '≤' : '≥';
  return `| ${measurement.name} | ${value} ${measurement.unit} | ${comparison} ${measurement.target} | ${met ? 'met' : 'MISSED'} | ${measurement.detail} |`;
}

const measurements = [
  await measureSummary(),
  await measureStatusRequest(),
  await measureClientMemory(),
  ...(await measureSimulatedRun()),
];

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const report = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (bench/run.ts). Each row is one measurement on the machine',
  'named below; the targets are what the client is held to. Timings vary between machines',
  'and runs by tens of percent, so compare runs on the same machine.',
  '',
  `Measured on ${new Date().toISOString().slice(0, 10)} with Node.js ${process.version} on ${cpus().length} × ${cpu}.`,
  '',
  '| measurement | result | target | status | conditions |',
  '|---|---|---|---|---|',
  ...measurements.map(formatRow),
  '',
].join('\n');

writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), report);
console.log(report);

const missed = measurements.filter((measurement) =>
  measurement.lowerIsBetter ? measurement.value > measurement.target : measurement.value < measurement.target,
);
if (missed.length > 0) {
  console.error(`${missed.length} target(s) missed: ${missed.map((measurement) => measurement.name).join('; ')}`);
  process.exitCode = 1;
}
