import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  CentralError,
  InvalidArgumentError,
  type TokenSource,
  createTroubleshootingClient,
} from '../../src/index.js';
import {
  type FakeFetch,
  createFakeFetch,
  hangingReply,
  jsonReply,
  networkErrorReply,
  operationPath,
  rejectionOf,
  startPath,
  startedReply,
  statusReply,
  textReply,
} from '../helpers/fake-fetch.js';

const BASE_URL = 'https://central.test';
const SERIAL = 'SG30JY1234';
const TASK_ID = '5f0c2b8e-7d41-4a9c-b3e6-2a1d9c4e8f70';
const TARGET = { serialNumber: SERIAL, ports: ['3', '6'] };
const REF = { serialNumber: SERIAL, taskId: TASK_ID };

function newClient(fake: FakeFetch, token: TokenSource = 'test-token', options: { maxRetries?: number; requestTimeoutMs?: number } = {}) {
  return createTroubleshootingClient({ baseUrl: BASE_URL, token, fetch: fake.fetch, ...options });
}

/** Creates a fake that replies with success to every cable test request, so only validation can stop a request. */
function createSuccessFake(): FakeFetch {
  return createFakeFetch()
    .route('POST', /\/cableTest$/, startedReply(SERIAL, TASK_ID))
    .route('GET', /\/async-operations\//, statusReply('COMPLETED'));
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('input validation', () => {
  // Each case: the invalid value, and how the error message shows it.
  const invalidIds: [string, unknown, string][] = [
    ['empty', '', '""'],
    ['whitespace only', '   ', '"   "'],
    ['inner space', 'SG30 JY1234', '"SG30 JY1234"'],
    ['leading space', ' SG30JY1234', '" SG30JY1234"'],
    ['tab', 'SG30\tJY1234', '"SG30\\tJY1234"'],
    ['NUL', 'SG30\u0000JY1234', '"SG30\\u0000JY1234"'],
    ['DEL', 'SG30\u007fJY1234', '"SG30\u007fJY1234"'],
    ['C1 control', 'SG30\u0085JY1234', '"SG30\u0085JY1234"'],
    ['longer than 128', 'S'.repeat(129), `"${'S'.repeat(80)}…"`],
    ['number', 1234, 'number 1234'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['object', { serial: SERIAL }, 'an object'],
  ];

  it.each(invalidIds)('rejects a serial number that is %s', async (_case, serialNumber, shown) => {
    const fake = createSuccessFake();
    const client = newClient(fake);
    const calls = [
      client.startCableTest({ serialNumber: serialNumber as string, ports: ['3'] }),
      client.getCableTestStatus({ serialNumber: serialNumber as string, taskId: TASK_ID }),
      client.waitForCableTest({ serialNumber: serialNumber as string, taskId: TASK_ID }),
      client.runCableTest({ serialNumber: serialNumber as string, ports: ['3'] }),
    ].map(rejectionOf);
    await vi.advanceTimersByTimeAsync(60_000);

    for (const failure of calls) {
      const error = await failure;
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('serialNumber');
      expect((error as InvalidArgumentError).message).toContain(`Invalid serialNumber ${shown}`);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it.each(invalidIds)('rejects a task id that is %s', async (_case, taskId, shown) => {
    const fake = createSuccessFake();
    const client = newClient(fake);
    const calls = [
      client.getCableTestStatus({ serialNumber: SERIAL, taskId: taskId as string }),
      client.waitForCableTest({ serialNumber: SERIAL, taskId: taskId as string }),
    ].map(rejectionOf);
    await vi.advanceTimersByTimeAsync(60_000);

    for (const failure of calls) {
      const error = await failure;
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('taskId');
      expect((error as InvalidArgumentError).message).toContain(`Invalid taskId ${shown}`);
    }
    expect(fake.requests).toHaveLength(0);
  });

  // Each case: the ports, the argument the error names, and a fragment of its message.
  const invalidPorts: [string, unknown, string, string][] = [
    ['an empty list', [], 'ports', 'the list is empty'],
    ['a string', '3', 'ports', 'Invalid ports "3"'],
    ['missing', undefined, 'ports', 'Invalid ports undefined'],
    ['an empty name', ['3', ''], 'ports[1]', 'Invalid ports[1] ""'],
    ['a blank name', ['  '], 'ports[0]', 'Invalid ports[0] "  "'],
    ['a padded name', ['3', ' 6'], 'ports[1]', 'Invalid ports[1] " 6"'],
    ['a control character', ['3\n'], 'ports[0]', 'Invalid ports[0] "3\\n"'],
    ['a number', ['3', 6], 'ports[1]', 'Invalid ports[1] number 6'],
    ['null', [null], 'ports[0]', 'Invalid ports[0] null'],
    ['a duplicate', ['3', '6', '3'], 'ports[2]', 'listed twice'],
    ['a name longer than 64', ['P'.repeat(65)], 'ports[0]', 'longer than 64'],
  ];

  it.each(invalidPorts)('rejects ports with %s', async (_case, ports, argument, fragment) => {
    const fake = createSuccessFake();
    const client = newClient(fake);
    const calls = [
      client.startCableTest({ serialNumber: SERIAL, ports: ports as string[] }),
      client.runCableTest({ serialNumber: SERIAL, ports: ports as string[] }),
    ].map(rejectionOf);
    await vi.advanceTimersByTimeAsync(60_000);

    for (const failure of calls) {
      const error = await failure;
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe(argument);
      expect((error as InvalidArgumentError).message).toContain(fragment);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ['timeoutMs', { timeoutMs: 0 }],
    ['pollIntervalMs', { pollIntervalMs: -1 }],
    ['maxPollIntervalMs', { maxPollIntervalMs: Number.NaN }],
    ['notFoundGraceMs', { notFoundGraceMs: '10s' }],
    ['onProgress', { onProgress: 'log' }],
  ])('rejects an invalid %s before the start', async (argument, options) => {
    const fake = createSuccessFake();

    const failure = rejectionOf(newClient(fake).runCableTest(TARGET, options as never));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect(fake.requests).toHaveLength(0);
  });

  it('sends the ports unchanged', async () => {
    const fake = createSuccessFake();

    const started = newClient(fake).startCableTest({ serialNumber: SERIAL, ports: ['1/5', 'A1', '49'] });
    await vi.advanceTimersByTimeAsync(0);
    await started;

    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ ports: ['1/5', 'A1', '49'] });
  });

  it('encodes / # % in the serial exactly once', async () => {
    const fake = createSuccessFake();
    const serialNumber = 'AB/C#1%';

    const result = newClient(fake).runCableTest({ serialNumber, ports: ['3'] });
    await vi.advanceTimersByTimeAsync(60_000);

    await expect(result).resolves.toMatchObject({ serialNumber });
    expect(fake.requests.map((request) => request.path)).toEqual([
      '/network-troubleshooting/v1alpha1/aos-s/AB%2FC%231%25/cableTest',
      `/network-troubleshooting/v1alpha1/aos-s/AB%2FC%231%25/cableTest/async-operations/${TASK_ID}`,
    ]);
  });

  it('encodes / # % in the task id exactly once', async () => {
    const fake = createSuccessFake();

    const state = newClient(fake).getCableTestStatus({ serialNumber: SERIAL, taskId: 'T/1#2%3' });
    await vi.advanceTimersByTimeAsync(0);
    await state;

    expect(fake.requests[0]?.path).toBe(`${startPath(SERIAL)}/async-operations/T%2F1%232%253`);
  });

  // A serial of "." or ".." becomes a dot segment that URL parsing removes, so the start
  // request would go to another path than the switch's.
  it.each(['.', '..'])('rejects the dot-segment serial %s', async (serialNumber) => {
    const fake = createSuccessFake().route('POST', /.*/, startedReply(SERIAL, TASK_ID));

    const failure = rejectionOf(newClient(fake).startCableTest({ serialNumber, ports: ['3'] }));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(fake.requests.map((request) => request.path)).toEqual([]);
    expect(error).toBeInstanceOf(InvalidArgumentError);
  });
});

describe('token', () => {
  it('sends a string token as a bearer token', async () => {
    const fake = createSuccessFake();

    const state = newClient(fake, 'abc.def-123').getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);
    await state;

    expect(fake.requests[0]?.headers.authorization).toBe('Bearer abc.def-123');
  });

  it('calls a sync token function per request', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fake = createFakeFetch().enqueue(
      startedReply(SERIAL, TASK_ID),
      jsonReply(503, { errorCode: 'E', message: 'unavailable' }),
      statusReply('RUNNING'),
      statusReply('COMPLETED'),
    );
    let calls = 0;
    const token = vi.fn(() => `token-${++calls}`);

    const result = newClient(fake, token).runCableTest(TARGET);
    await vi.advanceTimersByTimeAsync(60_000);
    await result;

    expect(token).toHaveBeenCalledTimes(4);
    expect(fake.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
      'Bearer token-3',
      'Bearer token-4',
    ]);
  });

  it('awaits an async token function per request', async () => {
    const fake = createSuccessFake();
    let calls = 0;
    const token = vi.fn(async () => {
      await Promise.resolve();
      return `async-token-${++calls}`;
    });
    const client = newClient(fake, token);

    const first = client.getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);
    await first;
    const second = client.getCableTestStatus(REF);
    await vi.advanceTimersByTimeAsync(0);
    await second;

    expect(token).toHaveBeenCalledTimes(2);
    expect(fake.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer async-token-1',
      'Bearer async-token-2',
    ]);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['prefixed with Bearer', 'Bearer abc'],
    ['a number', 42],
    ['missing', undefined],
  ])('rejects a %s token string at creation', (_case, token) => {
    const fake = createSuccessFake();

    const create = () => createTroubleshootingClient({ baseUrl: BASE_URL, token: token as string, fetch: fake.fetch });

    expect(create).toThrow(InvalidArgumentError);
    expect(create).toThrow(/Invalid token/);
  });

  it.each([
    ['empty', () => ''],
    ['blank', async () => ' '],
    ['a number', () => 42 as unknown as string],
    ['with a line break', async () => 'abc\ndef'],
  ])('rejects a token function returning %s before any request', async (_case, token) => {
    const fake = createSuccessFake();

    const failure = rejectionOf(newClient(fake, token).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('token');
    expect(fake.requests).toHaveLength(0);
  });

  it('rejects a failing token function before any request', async () => {
    const fake = createSuccessFake();
    const tokenError = new Error('token endpoint unreachable');
    const token = () => Promise.reject(tokenError);

    const failure = rejectionOf(newClient(fake, token).getCableTestStatus(REF));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    // The error may be passed on as is or wrapped, but it must not be lost.
    expect(error === tokenError || (error as Error).cause === tokenError).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  // A caller who loses the task id cannot resume the wait of a test that is running.
  it('adds the task id to a token failure after the start', async () => {
    const fake = createSuccessFake();
    let calls = 0;
    const token = () => {
      calls += 1;
      if (calls > 1) throw new Error('token endpoint unreachable');
      return 'first-token';
    };

    const failure = rejectionOf(newClient(fake, token).runCableTest(TARGET));
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;

    expect(fake.requests.map((request) => request.method)).toEqual(['POST']);
    expect(error).toBeInstanceOf(CentralError);
    expect((error as CentralError).taskId).toBe(TASK_ID);
    expect((error as CentralError).serialNumber).toBe(SERIAL);
  });

  describe('secrecy', () => {
    const SECRET = 'sEcReT-7f3a9c1e2b';

    const failures: [string, () => FakeFetch, (fake: FakeFetch, token: TokenSource) => Promise<unknown>][] = [
      ['401', () => createFakeFetch().route('GET', /.*/, jsonReply(401, { errorCode: 'HPE_GRAVITY_UNAUTHORIZED', message: 'Authentication required.' })), (fake, token) => newClient(fake, token).getCableTestStatus(REF)],
      ['500', () => createFakeFetch().route('GET', /.*/, textReply(500, 'Internal error')), (fake, token) => newClient(fake, token, { maxRetries: 0 }).getCableTestStatus(REF)],
      ['ECONNRESET', () => createFakeFetch().route('POST', /.*/, networkErrorReply('ECONNRESET')), (fake, token) => newClient(fake, token).startCableTest(TARGET)],
      ['a timeout', () => createFakeFetch().route('GET', /.*/, hangingReply()), (fake, token) => newClient(fake, token, { maxRetries: 0, requestTimeoutMs: 1_000 }).getCableTestStatus(REF)],
      ['a malformed body', () => createFakeFetch().route('GET', /.*/, textReply(200, '{')), (fake, token) => newClient(fake, token).getCableTestStatus(REF)],
      ['FAILED', () => createFakeFetch().enqueue(startedReply(SERIAL, TASK_ID)).route('GET', operationPath(SERIAL, TASK_ID), statusReply('FAILED', { failReason: 'Port 49 is a transceiver.' })), (fake, token) => newClient(fake, token).runCableTest(TARGET)],
    ];

    it.each(failures)('keeps the token out of a %s error', async (_case, makeFake, call) => {
      vi.spyOn(Math, 'random').mockReturnValue(0);
      for (const token of [SECRET, () => SECRET, async () => SECRET]) {
        const fake = makeFake();

        const failure = rejectionOf(call(fake, token));
        await vi.advanceTimersByTimeAsync(120_000);
        const error = (await failure) as Error;

        expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
        expect(error.message).not.toContain(SECRET);
        expect(String(error.stack)).not.toContain(SECRET);
        expect(JSON.stringify(error)).not.toContain(SECRET);
      }
    });

    it.each([
      ['with a Bearer prefix', `Bearer ${SECRET}`],
      ['with a line break', `${SECRET}\n`],
      ['with a space inside', `${SECRET} x`],
    ])('keeps an invalid token %s out of the error', async (_case, badToken) => {
      const create = () => newClient(createSuccessFake(), badToken);
      expect(create).toThrow(InvalidArgumentError);
      let creationError: unknown;
      try {
        create();
      } catch (error) {
        creationError = error;
      }
      expect((creationError as Error).message).not.toContain(SECRET);
      expect(JSON.stringify(creationError)).not.toContain(SECRET);

      const fake = createSuccessFake();
      const failure = rejectionOf(newClient(fake, () => badToken).getCableTestStatus(REF));
      await vi.advanceTimersByTimeAsync(60_000);
      const requestError = (await failure) as Error;

      expect(requestError).toBeInstanceOf(InvalidArgumentError);
      expect(requestError.message).not.toContain(SECRET);
      expect(JSON.stringify(requestError)).not.toContain(SECRET);
      expect(fake.requests).toHaveLength(0);
    });
  });
});
