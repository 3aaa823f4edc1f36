import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';

import { AuthenticationError } from '../../src/index.js';
import { DEMO_CLIENT } from '../../src/simulator/index.js';
import { rejectionOf } from '../helpers/fake-fetch.js';
import { countRequests, useFaultLab } from '../helpers/fault-lab.js';

const FAST_POLLING = { pollIntervalMs: 20, maxPollIntervalMs: 30 };
// Tokens expire this long after their first use on the TOKEN-SHORT device.
const TOKEN_LIFETIME_MS = 150;

const lab = useFaultLab({
  durationMs: 100,
  scenarios: {
    'TOKEN-SHORT': { tokenLifetimeMs: TOKEN_LIFETIME_MS },
    'TOKEN-SHORT-SLOW': { tokenLifetimeMs: TOKEN_LIFETIME_MS, durationMs: 500 },
    'STATUS-401-ALWAYS': { faults: [{ kind: 'json-error', requests: 'status', status: 401 }] },
    'START-401-ONCE': { faults: [{ kind: 'json-error', requests: 'start', count: 1, status: 401 }] },
  },
});

/** Client that gets its tokens from the simulator's token endpoint. */
function credentialsClient() {
  return lab.client({ credentials: { ...DEMO_CLIENT, tokenUrl: lab.sim.tokenUrl } });
}

/** Kinds and statuses of the recorded requests, in order, such as `status 401`. */
function requestSequence(): string[] {
  return lab.sim.requests.map((request) => `${request.kind} ${request.status ?? 'no response'}`);
}

describe('fault: expired token with credentials', () => {
  it('renews and repeats a status request', async () => {
    const central = credentialsClient();
    const started = await central.startCableTest({ serialNumber: 'TOKEN-SHORT', ports: ['1'] });
    await delay(TOKEN_LIFETIME_MS + 50);

    const state = await central.getCableTestStatus(started);

    expect(state.taskId).toBe(started.taskId);
    expect(requestSequence()).toEqual(['token 200', 'start 202', 'status 401', 'token 200', 'status 200']);
    expect(lab.sim.requests[2]?.fault).toBe('token-expired');
  });

  it('renews on every expiry during a wait', async () => {
    const result = await credentialsClient().runCableTest({ serialNumber: 'TOKEN-SHORT-SLOW', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    const sequence = requestSequence();
    const counts = countRequests(lab.sim);
    expect(counts['start 202']).toBe(1);
    expect(counts['status 401']).toBeGreaterThanOrEqual(2);
    expect(counts['token 200']).toBe(1 + counts['status 401']!);
    // Each 401 is followed by a new token and the same request, which then succeeds.
    sequence.forEach((entry, index) => {
      if (entry !== 'status 401') return;
      expect(sequence.slice(index + 1, index + 3)).toEqual(['token 200', 'status 200']);
    });
  });

  it('repeats a start rejected with 401', async () => {
    const started = await credentialsClient().startCableTest({ serialNumber: 'START-401-ONCE', ports: ['1'] });

    // A 401 means the start was not processed, so it is sent once more with a new token.
    expect(started.taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(lab.sim.tasks).toHaveLength(1);
    expect(requestSequence()).toEqual(['token 200', 'start 401', 'token 200', 'start 202']);
  });

  it('repeats only once', async () => {
    const central = credentialsClient();
    const started = await central.startCableTest({ serialNumber: 'STATUS-401-ALWAYS', ports: ['1'] });

    const error = await rejectionOf(central.getCableTestStatus(started));

    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).taskId).toBe(started.taskId);
    expect(requestSequence()).toEqual(['token 200', 'start 202', 'status 401', 'token 200', 'status 401']);
  });
});

describe('fault: expired static token', () => {
  it('rejects a status request', async () => {
    const central = lab.client();
    const started = await central.startCableTest({ serialNumber: 'TOKEN-SHORT', ports: ['1'] });
    await delay(TOKEN_LIFETIME_MS + 50);

    const error = await rejectionOf(central.getCableTestStatus(started));

    // The client cannot renew a fixed token, so the 401 is final.
    expect(error).toBeInstanceOf(AuthenticationError);
    const authentication = error as AuthenticationError;
    expect(authentication.status).toBe(401);
    expect(authentication.errorCode).toBe('HPE_GRAVITY_UNAUTHORIZED');
    expect(authentication.taskId).toBe(started.taskId);
    expect(requestSequence()).toEqual(['start 202', 'status 401']);
  });

  it('ends a wait', async () => {
    const error = await rejectionOf(lab.client().runCableTest({ serialNumber: 'TOKEN-SHORT-SLOW', ports: ['1'] }, FAST_POLLING));

    expect(error).toBeInstanceOf(AuthenticationError);
    const authentication = error as AuthenticationError;
    expect(authentication.taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(['INITIATED', 'RUNNING']).toContain(authentication.lastStatus);
    const counts = countRequests(lab.sim);
    expect(counts['start 202']).toBe(1);
    expect(counts['status 401']).toBe(1);
    expect(counts['token 200']).toBeUndefined();
  });
});
