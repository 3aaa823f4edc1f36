import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, createTroubleshootingClient } from '../../src/index.js';

/** A client whose fetch records calls; every case here must fail before any call. */
function recordingClient(baseUrl = 'https://central.test') {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    calls.push(String(input instanceof Request ? input.url : input));
    return new Response('{}', { status: 500 });
  };
  return { calls, create: () => createTroubleshootingClient({ baseUrl, token: 'test-token', fetch, maxRetries: 0 }) };
}

describe('port lists', () => {
  it.each(['1-4', 'A1-A4', '1/1-1/4', '1,2,3', '3,6'])('ports: rejects the list or range %s', async (port) => {
    const { calls, create } = recordingClient();

    const failure = create().startCableTest({ serialNumber: 'SG30JY1234', ports: [port] });

    await expect(failure).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(failure).rejects.toThrow(/list or range of ports/);
    expect(calls).toEqual([]);
  });

  it.each(['1', 'A1', '1/5', 'Trk1', 'A-1'])('ports: accepts the port name %s', async (port) => {
    const { calls, create } = recordingClient();

    await create()
      .startCableTest({ serialNumber: 'SG30JY1234', ports: [port] }, {})
      .catch(() => undefined);

    expect(calls).toHaveLength(1);
  });
});

describe('base URL path', () => {
  it('baseUrl: rejects the API path', () => {
    const { create } = recordingClient('https://us4.api.central.arubanetworks.com/network-troubleshooting/v1alpha1');

    expect(create).toThrow(InvalidArgumentError);
    expect(create).toThrow(/contains the API path/);
  });

  it('baseUrl: keeps a gateway prefix path', async () => {
    const { calls, create } = recordingClient('https://proxy.test/central/');

    await create()
      .getCableTestStatus({ serialNumber: 'SG30JY1234', taskId: 'abc' }, {})
      .catch(() => undefined);

    expect(calls[0]).toBe('https://proxy.test/central/network-troubleshooting/v1alpha1/aos-s/SG30JY1234/cableTest/async-operations/abc');
  });
});
