/** Text printed in place of the token. */
export const REDACTED = '[redacted]';

/**
 * Returns a function that replaces every occurrence of each secret with `[redacted]`. All
 * CLI output passes through it, so a token echoed back by a server or a proxy is not
 * printed either. Undefined and empty secrets are ignored.
 */
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const present = secrets.filter((secret): secret is string => secret !== undefined && secret !== '');
  return (text) => present.reduce((redacted, secret) => redacted.split(secret).join(REDACTED), text);
}
