import { readFileSync } from 'node:fs';
import { CLUSTERS, type CentralCluster, type TroubleshootingClientOptions } from '../index.js';
import { type CommandName, UsageError } from './args.js';

/** Gateway and credentials of the client, read from flags and the environment. */
export type ConnectionSettings = Pick<TroubleshootingClientOptions, 'baseUrl' | 'cluster' | 'token' | 'credentials'>;

/** Flags that choose the API gateway. */
export interface ConnectionFlags {
  baseUrl: string | undefined;
  cluster: string | undefined;
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Returns the secrets that the environment (or the files it names) provides, so the output
 * filter can redact them. It never throws: unreadable files are reported by
 * `resolveConnection`.
 */
export function secretsOf(env: Environment): string[] {
  const secrets = [env.CENTRAL_TOKEN, env.CENTRAL_CLIENT_SECRET];
  for (const variable of ['CENTRAL_TOKEN_FILE', 'CENTRAL_CLIENT_SECRET_FILE']) {
    const path = env[variable];
    if (path === undefined || path === '') continue;
    try {
      secrets.push(readFileSync(path, 'utf8').trim());
    } catch {
      // Reported with the variable's name when the connection is resolved.
    }
  }
  return secrets.filter((secret): secret is string => secret !== undefined && secret.trim() !== '');
}

/**
 * Reads the gateway (`--base-url`, `--cluster`, CENTRAL_BASE_URL, CENTRAL_CLUSTER) and the
 * credentials (CENTRAL_TOKEN or CENTRAL_TOKEN_FILE, or CENTRAL_CLIENT_ID with
 * CENTRAL_CLIENT_SECRET or CENTRAL_CLIENT_SECRET_FILE, and CENTRAL_TOKEN_URL). Secrets come
 * only from the environment or files, never from flags. Missing or conflicting settings
 * are usage errors that name the variables to set; no message contains a secret.
 */
export function resolveConnection(
  flags: ConnectionFlags,
  env: Environment,
  command: CommandName | undefined,
): ConnectionSettings {
  return { ...resolveGateway(flags, env, command), ...resolveCredentials(env, command) };
}

function resolveGateway(
  flags: ConnectionFlags,
  env: Environment,
  command: CommandName | undefined,
): Pick<ConnectionSettings, 'baseUrl' | 'cluster'> {
  const fromFlags = flags.baseUrl !== undefined || flags.cluster !== undefined;
  const baseUrl = fromFlags ? flags.baseUrl : nonEmpty(env.CENTRAL_BASE_URL);
  // Cluster names are matched without regard to case, so "US-WEST-4" works too.
  const cluster = (fromFlags ? flags.cluster : nonEmpty(env.CENTRAL_CLUSTER))?.toLowerCase();
  const origin = fromFlags ? ['--base-url', '--cluster'] : ['CENTRAL_BASE_URL', 'CENTRAL_CLUSTER'];

  if (baseUrl !== undefined && cluster !== undefined) {
    throw new UsageError(`both ${origin[0]} and ${origin[1]} are set: use only one of them.`, command);
  }
  if (cluster !== undefined) {
    if (!(CLUSTERS as readonly string[]).includes(cluster)) {
      throw new UsageError(
        `unknown cluster ${JSON.stringify(cluster)} in ${origin[1]}. Use one of: ${CLUSTERS.join(', ')}.`,
        command,
      );
    }
    return { cluster: cluster as CentralCluster };
  }
  if (baseUrl === undefined || baseUrl.trim() === '') {
    throw new UsageError(
      'missing API gateway. Pass --cluster (such as us-west-4) or --base-url, or set CENTRAL_CLUSTER or CENTRAL_BASE_URL.',
      command,
    );
  }
  rejectSecretsInBaseUrl(baseUrl, fromFlags ? '--base-url' : 'CENTRAL_BASE_URL', command);
  return { baseUrl };
}

function resolveCredentials(
  env: Environment,
  command: CommandName | undefined,
): Pick<ConnectionSettings, 'token' | 'credentials'> {
  const token = readSecret(env, 'CENTRAL_TOKEN', command);
  const clientId = nonEmpty(env.CENTRAL_CLIENT_ID);
  const clientSecret = readSecret(env, 'CENTRAL_CLIENT_SECRET', command);

  if (token !== undefined && (clientId !== undefined || clientSecret !== undefined)) {
    throw new UsageError(
      'both CENTRAL_TOKEN and client credentials (CENTRAL_CLIENT_ID, CENTRAL_CLIENT_SECRET) are set: unset one of them.',
      command,
    );
  }
  if (token !== undefined) {
    if (/[\s\u0000-\u001f\u007f]/.test(token)) {
      const source = nonEmpty(env.CENTRAL_TOKEN_FILE) === undefined ? 'CENTRAL_TOKEN' : 'The file in CENTRAL_TOKEN_FILE';
      throw new UsageError(
        `${source} contains whitespace or control characters. It must hold the bare access token, without "Bearer ".`,
        command,
      );
    }
    return { token };
  }

  if (clientId !== undefined && clientSecret !== undefined) {
    return { credentials: { clientId, clientSecret, tokenUrl: nonEmpty(env.CENTRAL_TOKEN_URL) } };
  }
  if (clientId !== undefined) {
    throw new UsageError('CENTRAL_CLIENT_ID is set but CENTRAL_CLIENT_SECRET is not: set it, or CENTRAL_CLIENT_SECRET_FILE.', command);
  }
  if (clientSecret !== undefined) {
    throw new UsageError('CENTRAL_CLIENT_SECRET is set but CENTRAL_CLIENT_ID is not: set the client id too.', command);
  }
  throw new UsageError(
    'no credentials: set CENTRAL_CLIENT_ID and CENTRAL_CLIENT_SECRET (a GreenLake API client), or CENTRAL_TOKEN (an access token).',
    command,
  );
}

/** Reads `NAME` or the file named by `NAME_FILE`; both set is a usage error. */
function readSecret(env: Environment, name: string, command: CommandName | undefined): string | undefined {
  const value = env[name];
  const path = nonEmpty(env[`${name}_FILE`]);
  if (value !== undefined && path !== undefined) {
    throw new UsageError(`both ${name} and ${name}_FILE are set: use only one of them.`, command);
  }
  if (path === undefined) {
    if (value !== undefined && value.trim() === '') {
      throw new UsageError(`${name} is empty: set it, or unset it.`, command);
    }
    return value;
  }

  let content: string;
  try {
    content = readFileSync(path, 'utf8').trim();
  } catch (error) {
    const reason = (error as { code?: string }).code ?? 'unreadable';
    throw new UsageError(`cannot read ${name}_FILE ${JSON.stringify(path)} (${reason}).`, command);
  }
  if (content === '') throw new UsageError(`${name}_FILE ${JSON.stringify(path)} is empty.`, command);
  return content;
}

// The client's own message would quote the URL, and with it any password or query key.
function rejectSecretsInBaseUrl(baseUrl: string, source: string, command: CommandName | undefined): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return; // The client reports the malformed URL.
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new UsageError(
      `invalid base URL in ${source}: it contains credentials, a query or a fragment (not printed here). Use only the scheme and host, such as https://us4.api.central.arubanetworks.com.`,
      command,
    );
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
