/**
 * Receiver of the client's log lines. `console` fits as is. A pino logger expects
 * `(fields, message)`, so pass an adapter such as
 * `{ debug: (message, fields) => pino.debug(fields, message) }`. Every level is optional.
 * The client is silent without a logger and never logs a token.
 */
export interface Logger {
  /**
   * Receives routine events and their `fields`. The client logs only at this level: retries,
   * token renewals and polls of a test that is not registered yet.
   */
  debug?(message: string, fields?: Record<string, unknown>): void;
  /** Receives notable events, such as the simulator starting and stopping. */
  info?(message: string, fields?: Record<string, unknown>): void;
  /** Receives problems that were handled, such as a request body the simulator could not read. */
  warn?(message: string, fields?: Record<string, unknown>): void;
  /** Receives errors that were caught and not raised again. */
  error?(message: string, fields?: Record<string, unknown>): void;
}
