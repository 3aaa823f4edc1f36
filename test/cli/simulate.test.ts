import { describe, expect, it } from 'vitest';
import { EXIT_SUCCESS, EXIT_USAGE_ERROR } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/program.js';

/** Starts `simulate`, waits for its URL line, and returns the URL, the output and a stop function. */
async function startSimulateCommand(args: string[] = []) {
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  const exitCode = main(['simulate', ...args], {
    env: {},
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    signal: controller.signal,
  });

  for (let attempt = 0; attempt < 100 && !/listening on (\S+)/.test(stdout) && stderr === ''; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
  return {
    url,
    output: () => ({ stdout, stderr }),
    stop: async () => {
      controller.abort(new Error('test finished'));
      return exitCode;
    },
  };
}

describe('cli: simulate', () => {
  it('cli: simulate serves until stopped', async () => {
    const command = await startSimulateCommand(['--duration', '0.1']);
    expect(command.url).toBeDefined();

    const response = await fetch(`${command.url}/network-troubleshooting/v1alpha1/aos-s/SIM-HEALTHY-01/cableTest`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo', 'content-type': 'application/json' },
      body: JSON.stringify({ ports: ['1'] }),
    });
    expect(response.status).toBe(202);

    expect(await command.stop()).toBe(EXIT_SUCCESS);
    const { stdout } = command.output();
    expect(stdout).toContain('SIM-FAULTS-01');
    expect(stdout).toContain('Token endpoint:');
    expect(stdout).toContain('Stopping the simulator.');
    await expect(fetch(command.url ?? '')).rejects.toThrow();
  });

  it('cli: simulate rejects a bad port', async () => {
    let stderr = '';
    const exitCode = await main(['simulate', '--port', '70000'], {
      env: {},
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
    });

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('invalid --port "70000"');
  });

  it('cli: simulate rejects a missing scenario file', async () => {
    let stderr = '';
    const exitCode = await main(['simulate', '--scenario', '/nonexistent/scenarios.json'], {
      env: {},
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
    });

    expect(exitCode).toBe(EXIT_USAGE_ERROR);
    expect(stderr).toContain('scenarios.json');
  });
});
