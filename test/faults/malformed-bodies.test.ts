import { describe, expect, it } from 'vitest';

import { UnexpectedResponseError } from '../../src/index.js';
import { OTHER_HOST_ORIGIN } from '../../src/simulator/index.js';
import { rejectionOf } from '../helpers/fake-fetch.js';
import { countRequests, useFaultLab } from '../helpers/fault-lab.js';

const FAST_POLLING = { pollIntervalMs: 20, maxPollIntervalMs: 30 };
const API_PREFIX = '/network-troubleshooting/v1alpha1/aos-s/';

const lab = useFaultLab({
  durationMs: 100,
  scenarios: {
    'START-NOT-JSON-AFTER': { faults: [{ kind: 'not-json', requests: 'start', count: 1, when: 'after' }] },
    'NOT-JSON-ALWAYS': { faults: [{ kind: 'not-json', requests: 'status' }] },
  },
});

describe('fault: malformed success bodies', () => {
  it('retries a non-JSON status body', async () => {
    // Direct: Prism would replace the HTML 200 with its own 500 response.
    const result = await lab.directClient().runCableTest({ serialNumber: 'SIM-NOT-JSON-01', ports: ['1'] }, FAST_POLLING);

    expect(result.status).toBe('COMPLETED');
    const statusRequests = lab.sim.requests.filter((request) => request.kind === 'status');
    expect(statusRequests[0]?.fault).toBe('not-json');
    expect(statusRequests.length).toBeGreaterThanOrEqual(2);
    expect(countRequests(lab.sim)['start 202']).toBe(1);
  });

  it('rejects a status body that stays non-JSON', async () => {
    // Direct: Prism would replace the HTML 200 with its own 500 response.
    const error = await rejectionOf(
      lab
        .directClient({ maxRetries: 1 })
        .runCableTest({ serialNumber: 'NOT-JSON-ALWAYS', ports: ['1'] }, FAST_POLLING),
    );

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    const unexpected = error as UnexpectedResponseError;
    expect(unexpected.status).toBe(200);
    expect(unexpected.bodySnippet).toContain('<!DOCTYPE html>');
    expect(unexpected.message).toContain('not JSON');
    expect(unexpected.taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(unexpected.mayHaveStarted).toBe(false);
    // The test keeps running on the switch, and the error's taskId lets the caller resume the wait.
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 200': 2 });
  });

  it('rejects an empty 202 once', async () => {
    // Direct: Prism would replace the 202 without a JSON body with its own 500 response.
    const error = await rejectionOf(lab.directClient().runCableTest({ serialNumber: 'SIM-EMPTY-202-01', ports: ['1'] }, FAST_POLLING));

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    const unexpected = error as UnexpectedResponseError;
    expect(unexpected.status).toBe(202);
    expect(unexpected.message).toContain('empty body');
    expect(unexpected.mayHaveStarted).toBe(true);
    expect(unexpected.taskId).toBeUndefined();
    expect(lab.sim.tasks).toHaveLength(1);
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1 });
  });

  it('rejects a non-JSON 202 once', async () => {
    // Direct: the spec declares no 200 for a start, so Prism would replace the HTML 200 with its own 500.
    const error = await rejectionOf(lab.directClient().startCableTest({ serialNumber: 'START-NOT-JSON-AFTER', ports: ['1'] }));

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).status).toBe(200);
    expect((error as UnexpectedResponseError).mayHaveStarted).toBe(true);
    expect(lab.sim.tasks).toHaveLength(1);
    expect(countRequests(lab.sim)).toEqual({ 'start 200': 1 });
  });
});

describe('fault: location on another host', () => {
  it('polls the base URL, not location', async () => {
    const central = lab.client();
    const started = await central.startCableTest({ serialNumber: 'SIM-OTHER-HOST-01', ports: ['1'] });
    const result = await central.waitForCableTest(started, FAST_POLLING);

    expect(started.location.startsWith(`${OTHER_HOST_ORIGIN}/`)).toBe(true);
    expect(started.taskId).toBe(lab.sim.tasks[0]?.taskId);
    expect(result.status).toBe('COMPLETED');
    expect(countRequests(lab.sim)).toEqual({ 'start 202': 1, 'status 200': result.polls });
    expect(lab.sim.requests.every((request) => request.path.startsWith(API_PREFIX))).toBe(true);
    const urls = lab.fetchedUrls();
    expect(urls).toHaveLength(1 + result.polls);
    expect(urls.every((url) => url.startsWith(`${lab.proxyUrl}${API_PREFIX}`))).toBe(true);
    expect(urls.some((url) => url.includes('other.example.invalid'))).toBe(false);
  });
});
