/** Text printed in place of the token. */
export const REDACTED = '[redacted]';

/**
 * Returns a function that replaces every occurrence of `secret` with `[redacted]`. All CLI
 * output passes through it, so a token echoed back by a server or a proxy is not printed
 * either. An undefined or empty secret leaves text unchanged.
 */
export function createRedactor(secret: string | undefined): (text: string) => string {
  if (secret === undefined || secret === '') return (text) => text;
  return (text) => text.split(secret).join(REDACTED);
}
