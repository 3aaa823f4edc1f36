import { describe, expect, it } from 'vitest';
import {
  EXIT_API_ERROR,
  EXIT_INTERRUPTED,
  EXIT_SUCCESS,
  EXIT_TEST_FAILED,
  EXIT_TIMEOUT,
  EXIT_USAGE_ERROR,
} from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/program.js';

// A token no output could contain by chance. Every run checks that it is never printed.
const TOKEN = 'tok-3f9a7c1e-SECRET-do-not-print';
const BASE_URL = 'http://127.0.0.1:9';
const SERIAL_NUMBER = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const START_PATH = `/network-troubleshooting/v1alpha1/aos-s/${SERIAL_NUMBER}/cableTest`;
const STATUS_PATH = `${START_PATH}/async-operations/${TASK_ID}`;
const RESUME_COMMAND = `central-troubleshoot cable-test-status ${SERIAL_NUMBER} ${TASK_ID} --wait`;

interface Reply {
  status: number;
  body: unknown;
}

const STARTED: Reply = {
  status: 202,
  body: { location: STATUS_PATH, status: 'INITIATED', startTime: '2025-05-21T04:49:39.372776208Z' },
};

const OPEN_PAIRS = ['1-2', '3-6', '4-5', '7-8'].map((pairName) => ({ length: '0', status: 'Open', pairName }));

const COMPLETED: Reply = {
  status: 200,
  body: {
    endTime: '2025-05-21T04:49:40.514983412Z',
    progressPercent: 100,
    status: 'COMPLETED',
    startTime: '2025-05-21T04:49:39.372776208Z',
    output: {
      results: [
        { cablePairDiagnostics: OPEN_PAIRS, interfaceName: '3' },
        { cablePairDiagnostics: OPEN_PAIRS, interfaceName: '6' },
      ],
      ports: ['3', '6'],
    },
    failReason: null,
  },
};

const RUNNING: Reply = {
  status: 200,
  body: { progressPercent: 40, status: 'RUNNING', startTime: '2025-05-21T04:49:39.372776208Z', endTime: null, output: null, failReason: null },
};

const FAIL_REASON = 'Cable diagnostics are not supported on port 49 (SFP+ transceiver).';
const FAILED: Reply = {
  status: 200,
  body: { progressPercent: 100, status: 'FAILED', startTime: '2025-05-21T04:49:39.372776208Z', endTime: '2025-05-21T04:49:45.120044710Z', output: null, failReason: FAIL_REASON },
};

const DEVICE_OFFLINE: Reply = {
  status: 409,
  body: { errorCode: 'HPE_GRAVITY_DEVICE_OFFLINE', message: `Device offline: ${SERIAL_NUMBER}` },
};

const INTERNAL_ERROR: Reply = {
  status: 500,
  body: { errorCode: 'HPE_GRAVITY_INTERNAL_SERVER_ERROR', message: 'An unexpected error occurred.' },
};

/** Replies of the fake Central: one for the start request, one (or one per call) for status requests. */
interface FakeCentralReplies {
  start?: Reply;
  status?: Reply | ((call: number) => Reply);
}

interface SentRequest {
  method: string;
  path: string;
  authorization: string | null;
}

/** Creates a fetch function that returns `replies` as Central would, without any network, and records the requests. */
function fakeCentral(replies: FakeCentralReplies): { fetch: typeof fetch; requests: SentRequest[] } {
  const requests: SentRequest[] = [];
  let statusCalls = 0;

  const fakeFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    requests.push({ method: request.method, path: url.pathname, authorization: request.headers.get('authorization') });

    let reply: Reply | undefined;
    if (url.origin !== BASE_URL) {
      throw new Error(`The fake Central rejected a request to ${url.origin}: only ${BASE_URL} is expected.`);
    }
    if (request.method === 'POST' && url.pathname === START_PATH) reply = replies.start;
    if (request.method === 'GET' && url.pathname === STATUS_PATH) {
      statusCalls += 1;
      reply = typeof replies.status === 'function' ? replies.status(statusCalls) : replies.status;
    }
    if (reply === undefined) throw new Error(`The fake Central has no reply for ${request.method} ${url.pathname}.`);

    return new Response(JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'content-type': 'application/json' },
    });
  };

  return { fetch: fakeFetch, requests };
}

interface RunOptions {
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
  stderrIsTTY?: boolean;
  signal?: AbortSignal;
}

/**
 * Runs `main` with a token in the environment and captures its output. Every run checks that
 * the token is printed neither on stdout nor on stderr.
 */
async function runCli(argv: string[], options: RunOptions = {}) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(argv, {
    env: { CENTRAL_TOKEN: TOKEN, ...options.env },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stderrIsTTY: options.stderrIsTTY ?? false,
    fetch: options.fetch ?? fakeCentral({}).fetch,
    signal: options.signal,
  });

  expect(stdout).not.toContain(TOKEN);
  expect(stderr).not.toContain(TOKEN);
  return { exitCode, stdout, stderr };
}

const CABLE_TEST_ARGS = ['cable-test', SERIAL_NUMBER, '3', '6', '--base-url', BASE_URL];
const STATUS_ARGS = ['cable-test-status', SERIAL_NUMBER, TASK_ID, '--base-url', BASE_URL];

describe('cli: cable-test', () => {
  it('cli: table for two open ports', async () => {
    const central = fakeCentral({ start: STARTED, status: COMPLETED });

    const { exitCode, stdout, stderr } = await runCli(CABLE_TEST_ARGS, { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(stdout).toBe(
      [
        'port  pair  status  length (m)  verdict',
        '3     1-2   Open    0           open',
        '3     3-6   Open    0           open',
        '3     4-5   Open    0           open',
        '3     7-8   Open    0           open',
        '6     1-2   Open    0           open',
        '6     3-6   Open    0           open',
        '6     4-5   Open    0           open',
        '6     7-8   Open    0           open',
        '',
        `2 ports tested: 0 good, 0 fault, 2 open, 0 unknown (task ${TASK_ID}, serial ${SERIAL_NUMBER})`,
        '',
      ].join('\n'),
    );
    expect(stderr).toBe('');
  });

  it('cli: sends token from CENTRAL_TOKEN', async () => {
    const central = fakeCentral({ start: STARTED, status: COMPLETED });

    await runCli(CABLE_TEST_ARGS, { fetch: central.fetch });

    expect(central.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `POST ${START_PATH}`,
      `GET ${STATUS_PATH}`,
    ]);
    for (const request of central.requests) expect(request.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('cli: base URL from CENTRAL_BASE_URL', async () => {
    const central = fakeCentral({ start: STARTED, status: COMPLETED });

    const { exitCode } = await runCli(['cable-test', SERIAL_NUMBER, '3', '6'], {
      fetch: central.fetch,
      env: { CENTRAL_BASE_URL: BASE_URL },
    });

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(central.requests).toHaveLength(2);
  });

  it('cli: json output parses', async () => {
    const central = fakeCentral({ start: STARTED, status: COMPLETED });

    const { exitCode, stdout } = await runCli([...CABLE_TEST_ARGS, '--json'], { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_SUCCESS);
    const parsed = JSON.parse(stdout);
    expect(parsed.result.status).toBe('COMPLETED');
    expect(parsed.result.taskId).toBe(TASK_ID);
    expect(parsed.result.serialNumber).toBe(SERIAL_NUMBER);
    expect(parsed.result.output.results).toHaveLength(2);
    expect(parsed.summary.counts).toEqual({ good: 0, fault: 0, open: 2, unknown: 0, missing: 0 });
    expect(parsed.summary.ports.map((port: { port: string }) => port.port)).toEqual(['3', '6']);
  });

  it('cli: missing port gets a row', async () => {
    const onlyPort3 = structuredClone(COMPLETED);
    (onlyPort3.body as { output: { results: unknown[] } }).output.results.splice(1, 1);
    const central = fakeCentral({ start: STARTED, status: onlyPort3 });

    const { exitCode, stdout } = await runCli(CABLE_TEST_ARGS, { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(stdout).toMatch(/^6 +- +no result +- +missing$/m);
    expect(stdout).toContain('2 ports tested: 0 good, 0 fault, 1 open, 1 unknown (1 missing from the results)');
  });

  it('cli: missing token is a usage error', async () => {
    const central = fakeCentral({ start: STARTED, status: COMPLETED });

    const { exitCode, stdout, stderr } = await runCli(CABLE_TEST_ARGS, {
      fetch: central.fetch,
      env: { CENTRAL_TOKEN: undefined },
    });

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toMatch(/^error: no credentials: set CENTRAL_CLIENT_ID and CENTRAL_CLIENT_SECRET .*, or CENTRAL_TOKEN/);
    expect(stdout).toBe('');
    expect(central.requests).toHaveLength(0);
  });

  it('cli: token with Bearer prefix is a usage error', async () => {
    const central = fakeCentral({ start: STARTED, status: COMPLETED });

    const { exitCode, stderr } = await runCli(CABLE_TEST_ARGS, {
      fetch: central.fetch,
      env: { CENTRAL_TOKEN: `Bearer ${TOKEN}` },
    });

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('CENTRAL_TOKEN contains whitespace');
    expect(central.requests).toHaveLength(0);
  });

  it('cli: missing base URL is a usage error', async () => {
    const { exitCode, stderr } = await runCli(['cable-test', SERIAL_NUMBER, '3']);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('--base-url');
    expect(stderr).toContain('CENTRAL_BASE_URL');
  });

  it('cli: base URL credentials are not printed', async () => {
    const { exitCode, stderr } = await runCli(['cable-test', SERIAL_NUMBER, '3', '--base-url', 'http://admin:hunter2@127.0.0.1:9']);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('invalid base URL in --base-url');
    expect(stderr).not.toContain('hunter2');
  });

  it('cli: token flag is rejected', async () => {
    const { exitCode, stderr } = await runCli([...CABLE_TEST_ARGS, '--token=abc123']);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('CENTRAL_TOKEN');
    expect(stderr).not.toContain('abc123');
  });

  it('cli: duplicate port is a usage error', async () => {
    const central = fakeCentral({ start: STARTED, status: COMPLETED });

    const { exitCode, stderr } = await runCli(['cable-test', SERIAL_NUMBER, '3', '3', '--base-url', BASE_URL], { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('listed twice');
    expect(stderr).toContain('Run "central-troubleshoot cable-test --help" for usage.');
    expect(central.requests).toHaveLength(0);
  });

  it('cli: invalid timeout is a usage error', async () => {
    const { exitCode, stderr } = await runCli([...CABLE_TEST_ARGS, '--timeout', 'soon']);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('invalid --timeout "soon"');
  });

  it('cli: device offline exits 3', async () => {
    const central = fakeCentral({ start: DEVICE_OFFLINE });

    const { exitCode, stdout, stderr } = await runCli(CABLE_TEST_ARGS, { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_API_ERROR);
    expect(stderr).toMatch(/^error: .*HTTP 409 HPE_GRAVITY_DEVICE_OFFLINE: Device offline: SG30JY1234/);
    expect(stderr).not.toContain('may be running');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
  });

  it('cli: start 500 says test may be running', async () => {
    const central = fakeCentral({ start: INTERNAL_ERROR });

    const { exitCode, stderr } = await runCli(CABLE_TEST_ARGS, { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_API_ERROR);
    expect(stderr).toContain('HTTP 500');
    expect(stderr).toContain('The cable test may have started');
    expect(stderr).toContain(`warning: no task id came back, so this run cannot follow the test. Check the switch or the Central UI before starting another test on ${SERIAL_NUMBER}.`);
    expect(stderr.trimEnd().split('\n')).toHaveLength(2);
    expect(central.requests).toHaveLength(1);
  });

  it('cli: failed test exits 4 with failReason', async () => {
    const central = fakeCentral({ start: STARTED, status: FAILED });

    const { exitCode, stdout, stderr } = await runCli(CABLE_TEST_ARGS, { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_TEST_FAILED);
    expect(stderr).toBe(`error: Cable test ${TASK_ID} on ${SERIAL_NUMBER} failed: ${FAIL_REASON}\n`);
    expect(stdout).toBe('');
  });

  it('cli: failed test with json prints result', async () => {
    const central = fakeCentral({ start: STARTED, status: FAILED });

    const { exitCode, stdout } = await runCli([...CABLE_TEST_ARGS, '--json'], { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_TEST_FAILED);
    const parsed = JSON.parse(stdout);
    expect(parsed.result.failReason).toBe(FAIL_REASON);
    expect(parsed.summary).toBeNull();
  });

  it('cli: wait timeout exits 5 with resume command', async () => {
    const central = fakeCentral({ start: STARTED, status: RUNNING });
    const startedAt = Date.now();

    const { exitCode, stdout, stderr } = await runCli([...CABLE_TEST_ARGS, '--timeout', '0.2'], { fetch: central.fetch });

    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(exitCode).toBe(EXIT_TIMEOUT);
    expect(stderr).toContain(`error: cable test ${TASK_ID} on ${SERIAL_NUMBER} did not finish within 0.2 s (last status RUNNING)`);
    expect(stderr).toContain(`Resume with: ${RESUME_COMMAND} --base-url ${BASE_URL}`);
    expect(stdout).toBe('');
  });

  it('cli: --json prints a timeout as JSON', async () => {
    const central = fakeCentral({ start: STARTED, status: RUNNING });

    const { exitCode, stdout } = await runCli([...CABLE_TEST_ARGS, '--timeout', '0.2', '--json'], { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_TIMEOUT);
    const { error } = JSON.parse(stdout) as { error: Record<string, unknown> };
    expect(error.name).toBe('WaitTimeoutError');
    expect(error.exitCode).toBe(EXIT_TIMEOUT);
    expect(error.taskId).toBe(TASK_ID);
    expect(error.serialNumber).toBe(SERIAL_NUMBER);
    expect(error.lastStatus).toBe('RUNNING');
    expect(error.resumeCommand).toBe(`${RESUME_COMMAND} --base-url ${BASE_URL}`);
  });

  it('cli: --json prints an API error as JSON', async () => {
    const central = fakeCentral({ start: DEVICE_OFFLINE });

    const { exitCode, stdout } = await runCli([...CABLE_TEST_ARGS, '--json'], { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_API_ERROR);
    const { error } = JSON.parse(stdout) as { error: Record<string, unknown> };
    expect(error.name).toBe('DeviceOfflineError');
    expect(error.taskId).toBeNull();
    expect(error.mayHaveStarted).toBe(false);
    expect(error.resumeCommand).toBeNull();
  });

  it('cli: error after start prints resume command', async () => {
    const central = fakeCentral({
      start: STARTED,
      status: { status: 401, body: { errorCode: 'HPE_GRAVITY_UNAUTHORIZED', message: 'Authentication required.' } },
    });

    const { exitCode, stderr } = await runCli(CABLE_TEST_ARGS, { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_API_ERROR);
    expect(stderr).toContain('HTTP 401');
    expect(stderr).toContain(`task ${TASK_ID}`);
    expect(stderr).toContain(`Resume with: ${RESUME_COMMAND}`);
  });

  it('cli: interrupt after start prints resume command', async () => {
    const controller = new AbortController();
    const central = fakeCentral({
      start: STARTED,
      status: () => {
        controller.abort(new Error('Received SIGINT.'));
        return RUNNING;
      },
    });

    const { exitCode, stderr } = await runCli(CABLE_TEST_ARGS, { fetch: central.fetch, signal: controller.signal });

    expect(exitCode).toBe(EXIT_INTERRUPTED);
    expect(stderr).toContain('error: interrupted.');
    expect(stderr).toContain(`Resume with: ${RESUME_COMMAND}`);
  });

  it('cli: progress only on a terminal', async () => {
    const replies = { start: STARTED, status: (call: number) => (call === 1 ? RUNNING : COMPLETED) };

    const onTerminal = await runCli(CABLE_TEST_ARGS, { fetch: fakeCentral(replies).fetch, stderrIsTTY: true });
    const notOnTerminal = await runCli(CABLE_TEST_ARGS, { fetch: fakeCentral(replies).fetch, stderrIsTTY: false });

    expect(onTerminal.exitCode).toBe(EXIT_SUCCESS);
    expect(onTerminal.stderr).toContain(`Started cable test ${TASK_ID} on ${SERIAL_NUMBER} (INITIATED).`);
    expect(onTerminal.stderr).toContain(`Cable test ${TASK_ID}: RUNNING 40% (poll 1,`);
    expect(onTerminal.stderr).toContain(`Cable test ${TASK_ID}: COMPLETED 100% (poll 2,`);
    expect(notOnTerminal.exitCode).toBe(EXIT_SUCCESS);
    expect(notOnTerminal.stderr).toBe('');
    expect(notOnTerminal.stdout).toBe(onTerminal.stdout);
  });

  it('cli: --progress prints progress off a terminal', async () => {
    const replies = { start: STARTED, status: (call: number) => (call === 1 ? RUNNING : COMPLETED) };

    const { exitCode, stderr } = await runCli([...CABLE_TEST_ARGS, '--progress'], {
      fetch: fakeCentral(replies).fetch,
      stderrIsTTY: false,
    });

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(stderr).toContain(`Cable test ${TASK_ID}: RUNNING 40% (poll 1,`);
    expect(stderr).toContain(`Cable test ${TASK_ID}: COMPLETED 100% (poll 2,`);
  });

  it('cli: token echoed by server is redacted', async () => {
    const central = fakeCentral({
      start: { status: 401, body: { errorCode: 'HPE_GRAVITY_UNAUTHORIZED', message: `Token ${TOKEN} has expired.` } },
    });

    const { exitCode, stderr } = await runCli(CABLE_TEST_ARGS, { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_API_ERROR);
    expect(stderr).toContain('Token [redacted] has expired.');
  });

  it('cli: debug prints stack without token', async () => {
    const central = fakeCentral({ start: INTERNAL_ERROR });

    const { exitCode, stderr } = await runCli(CABLE_TEST_ARGS, { fetch: central.fetch, env: { CENTRAL_DEBUG: '1' } });

    expect(exitCode).toBe(EXIT_API_ERROR);
    expect(stderr).toContain('ServerError: Starting a cable test');
    expect(stderr).toMatch(/^ {4}at /m);
  });

  it('cli: no stack trace without debug', async () => {
    const central = fakeCentral({ start: INTERNAL_ERROR });

    const { stderr } = await runCli(CABLE_TEST_ARGS, { fetch: central.fetch });

    expect(stderr).not.toMatch(/^ {4}at /m);
  });
});

describe('cli: cable-test-status', () => {
  it('cli: unfinished status prints wait command', async () => {
    const central = fakeCentral({ status: RUNNING });

    const { exitCode, stdout } = await runCli(STATUS_ARGS, { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(stdout).toBe(
      `Cable test ${TASK_ID} on ${SERIAL_NUMBER} is RUNNING (40% done).\n` +
        `Wait for it with: ${RESUME_COMMAND} --base-url ${BASE_URL}\n`,
    );
    expect(central.requests).toHaveLength(1);
  });

  it('cli: unfinished status as json', async () => {
    const central = fakeCentral({ status: RUNNING });

    const { exitCode, stdout } = await runCli([...STATUS_ARGS, '--json'], { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_SUCCESS);
    const parsed = JSON.parse(stdout);
    expect(parsed.result.status).toBe('RUNNING');
    expect(parsed.result.progressPercent).toBe(40);
    expect(parsed.summary).toBeNull();
  });

  it('cli: completed status prints table', async () => {
    const central = fakeCentral({ status: COMPLETED });

    const { exitCode, stdout } = await runCli(STATUS_ARGS, { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(stdout).toContain('port  pair  status  length (m)  verdict');
    expect(stdout).toContain(`2 ports tested: 0 good, 0 fault, 2 open, 0 unknown (task ${TASK_ID}, serial ${SERIAL_NUMBER})`);
  });

  it('cli: failed status exits 4', async () => {
    const central = fakeCentral({ status: FAILED });

    const { exitCode, stderr } = await runCli(STATUS_ARGS, { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_TEST_FAILED);
    expect(stderr).toContain(FAIL_REASON);
  });

  it('cli: wait follows test to completion', async () => {
    const central = fakeCentral({ status: (call) => (call === 1 ? RUNNING : COMPLETED) });

    const { exitCode, stdout } = await runCli([...STATUS_ARGS, '--wait'], { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(stdout).toContain('2 ports tested');
    expect(central.requests).toHaveLength(2);
  });

  it('cli: wait timeout exits 5', async () => {
    const central = fakeCentral({ status: RUNNING });

    const { exitCode, stderr } = await runCli([...STATUS_ARGS, '--wait', '--timeout', '0.1'], { fetch: central.fetch });

    expect(exitCode).toBe(EXIT_TIMEOUT);
    expect(stderr).toContain(`Resume with: ${RESUME_COMMAND}`);
  });

  it('cli: timeout without wait is a usage error', async () => {
    const { exitCode, stderr } = await runCli([...STATUS_ARGS, '--timeout', '5']);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('--timeout applies only to a wait');
  });

  it('cli: missing task id is a usage error', async () => {
    const { exitCode, stderr } = await runCli(['cable-test-status', SERIAL_NUMBER]);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('missing <task-id>');
    expect(stderr).toContain('Run "central-troubleshoot cable-test-status --help" for usage.');
  });
});

describe('cli: help and usage', () => {
  const helpCases = [
    { name: 'top level', argv: ['--help'] },
    { name: 'top level -h', argv: ['-h'] },
    { name: 'cable-test', argv: ['cable-test', '--help'] },
    { name: 'cable-test-status', argv: ['cable-test-status', '-h'] },
    { name: 'help command', argv: ['help', 'cable-test'] },
  ];

  it.each(helpCases)('cli: help of $name lists exit codes', async ({ argv }) => {
    const { exitCode, stdout, stderr } = await runCli(argv, { env: { CENTRAL_TOKEN: undefined } });

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(stdout).toContain('Usage: central-troubleshoot');
    expect(stdout).toContain('Exit codes:');
    for (const code of [0, 1, 2, 3, 4, 5]) expect(stdout).toMatch(new RegExp(`^  ${code} `, 'm'));
    expect(stderr).toBe('');
  });

  it('cli: command help names its options', async () => {
    const { stdout } = await runCli(['cable-test', '--help']);

    expect(stdout).toContain('--timeout SECONDS');
    expect(stdout).toContain('--json');
    expect(stdout).toContain('CENTRAL_TOKEN');
  });

  it('cli: version prints package version', async () => {
    const { exitCode, stdout } = await runCli(['--version']);

    expect(exitCode).toBe(EXIT_SUCCESS);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  it('cli: unknown command is a usage error', async () => {
    const { exitCode, stderr } = await runCli(['cable-tset', SERIAL_NUMBER, '3']);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('unknown command "cable-tset"');
  });

  it('cli: no command is a usage error', async () => {
    const { exitCode, stderr } = await runCli([]);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('missing command');
  });

  it('cli: unknown option is a usage error', async () => {
    const { exitCode, stderr } = await runCli([...CABLE_TEST_ARGS, '--verbose']);

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('unknown option --verbose');
  });
});
