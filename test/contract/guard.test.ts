/**
 * Proves that the Prism guard catches a response that breaks the spec, an invalid request,
 * and each simulator fault that is outside the spec by design. Those faults cannot pass the
 * proxy, so test/faults/ runs them directly against the simulator.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { ServerError, createTroubleshootingClient } from '../../src/index.js';
import { rejectionOf } from '../helpers/fake-fetch.js';
import { countRequests } from '../helpers/fault-lab.js';
import { type ContractLab, type ViolationGuard, createViolationGuard, startContractLab } from '../helpers/prism-guard.js';
import { type PrismProxy, startPrismProxy } from '../setup/prism-proxy.js';

const API_PREFIX = '/network-troubleshooting/v1alpha1/aos-s';
const STATUS_PATH = `${API_PREFIX}/SG-STUB-01/cableTest/async-operations/task-1`;
const VALID_STATUS_BODY = JSON.stringify({ status: 'RUNNING', progressPercent: 40 });

/** A response the stub upstream sends to the next request. */
interface StubReply {
  status: number;
  body: string;
}

let stub: Server;
let stubReply: StubReply = { status: 200, body: VALID_STATUS_BODY };
let stubRequests = 0;
let stubProxy: PrismProxy;
let stubGuard: ViolationGuard;
let lab: ContractLab;

beforeAll(async () => {
  stub = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      stubRequests += 1;
      response.writeHead(stubReply.status, { 'content-type': 'application/json' });
      response.end(stubReply.body);
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  const stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;

  [stubProxy, lab] = await Promise.all([startPrismProxy(stubUrl), startContractLab({ durationMs: 100 })]);
  stubGuard = createViolationGuard(stubProxy.url);
});

afterAll(async () => {
  await Promise.all([stubProxy?.stop(), lab?.close()]);
  stub?.closeAllConnections();
  await new Promise((resolve) => stub?.close(resolve));
});

afterEach(() => {
  stubReply = { status: 200, body: VALID_STATUS_BODY };
  stubRequests = 0;
  lab.sim.reset();
});

function stubClient() {
  return createTroubleshootingClient({ baseUrl: stubProxy.url, fetch: stubGuard.fetch, token: 'guard-token', maxRetries: 0 });
}

describe('contract guard: broken responses', () => {
  it('passes a valid status body', async () => {
    stubReply = { status: 200, body: VALID_STATUS_BODY };

    const state = await stubClient().getCableTestStatus({ serialNumber: 'SG-STUB-01', taskId: 'task-1' });

    expect(state.status).toBe('RUNNING');
    expect(stubRequests).toBe(1);
    expect(stubGuard.takeViolations()).toEqual([]);
  });

  it('flags a status body without status', async () => {
    stubReply = { status: 200, body: JSON.stringify({ progressPercent: 40 }) };

    const error = await rejectionOf(stubClient().getCableTestStatus({ serialNumber: 'SG-STUB-01', taskId: 'task-1' }));

    expect(error).toBeInstanceOf(ServerError);
    const violations = stubGuard.takeViolations();
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ method: 'GET', path: STATUS_PATH, status: 500 });
    expect(violations[0]?.detail).toContain("must have required property 'status'");
  });

  it('flags an empty 202', async () => {
    stubReply = { status: 202, body: '' };

    const error = await rejectionOf(stubClient().startCableTest({ serialNumber: 'SG-STUB-01', ports: ['1'] }));

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).mayHaveStarted).toBe(true);
    const violations = stubGuard.takeViolations();
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ method: 'POST', status: 500 });
  });

  it('flags an invalid request', async () => {
    const response = await stubGuard.fetch(`${stubProxy.url}${API_PREFIX}/SG-STUB-01/cableTest`, {
      method: 'POST',
      headers: { authorization: 'Bearer guard-token', 'content-type': 'application/json' },
      body: JSON.stringify({ ports: [] }),
    });
    await response.text();

    expect(response.status).toBe(422);
    expect(stubRequests).toBe(0);
    const violations = stubGuard.takeViolations();
    expect(violations).toHaveLength(1);
    expect(violations[0]?.detail).toContain('minItems');
  });

  it('lists violations in assertNoViolations', async () => {
    stubReply = { status: 200, body: JSON.stringify({ progressPercent: 40 }) };
    await rejectionOf(stubClient().getCableTestStatus({ serialNumber: 'SG-STUB-01', taskId: 'task-1' }));

    expect(() => stubGuard.assertNoViolations()).toThrow(`GET ${STATUS_PATH} -> 500`);
    expect(() => stubGuard.assertNoViolations()).not.toThrow();
  });

  it('blocks other hosts', async () => {
    const error = await rejectionOf(stubGuard.fetch('https://other.example.invalid/network-troubleshooting/'));

    expect(String(error)).toContain('blocked a request to https://other.example.invalid/');
    expect(stubGuard.urls.at(-1)).toBe('https://other.example.invalid/network-troubleshooting/');
    expect(stubRequests).toBe(0);
  });
});

describe('contract guard: faults outside the spec', () => {
  function labClient() {
    return createTroubleshootingClient({ baseUrl: lab.proxy.url, fetch: lab.guard.fetch, token: 'guard-token', maxRetries: 0 });
  }

  it.each([
    ['SIM-502-HTML-01', 502, 'Unable to match the returned status code'],
    ['SIM-503-EMPTY-01', 503, 'Unable to match the returned status code'],
    ['SIM-NOT-JSON-01', 500, 'does not match the one specified'],
    ['SIM-RESET-01', 500, 'socket hang up'],
  ])('flags the status fault of %s', async (serialNumber, proxyStatus, detail) => {
    const central = labClient();
    const started = await central.startCableTest({ serialNumber, ports: ['1'] });
    expect(lab.guard.takeViolations()).toEqual([]);

    await rejectionOf(central.getCableTestStatus(started));

    const violations = lab.guard.takeViolations();
    expect(violations).toHaveLength(1);
    expect(violations[0]?.status).toBe(proxyStatus);
    expect(violations[0]?.detail).toContain(detail);
  });

  it.each([
    ['SIM-EMPTY-202-01', 'start 202', 'invalid json response body'],
    ['SIM-START-LOST-01', 'start no response', 'socket hang up'],
  ])('flags the start fault of %s', async (serialNumber, recorded, detail) => {
    const error = await rejectionOf(labClient().startCableTest({ serialNumber, ports: ['1'] }));

    // Prism turns the fault into its own 500, so the client still reports that the test may have started.
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).mayHaveStarted).toBe(true);
    expect(countRequests(lab.sim)).toEqual({ [recorded]: 1 });
    const violations = lab.guard.takeViolations();
    expect(violations).toHaveLength(1);
    expect(violations[0]?.status).toBe(500);
    expect(violations[0]?.detail).toContain(detail);
  });
});
