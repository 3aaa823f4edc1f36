/**
 * Receiver of the client's log lines, such as `console` or a pino or winston logger. Every
 * level is optional; the client is silent without a logger and never logs a token.
 */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}
