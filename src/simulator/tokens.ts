import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import type { SimulatedClient } from './types.js';

/** Client accepted by the token endpoint when the options list none. */
export const DEMO_CLIENT: Readonly<SimulatedClient> = Object.freeze({ clientId: 'sim-client', clientSecret: 'sim-secret' });

/** Outcome of checking the `Authorization` header of an API request. */
export type BearerCheck =
  | { ok: true; token: string }
  | { ok: false; fault: 'no-token' | 'unknown-token' | 'token-expired'; message: string };

/**
 * Issues access tokens and checks bearer tokens. With `enforce` set, only unexpired tokens
 * issued here are accepted. Otherwise any non-empty bearer token is.
 */
export class TokenRegistry {
  private readonly issued = new Map<string, { clientId: string; expiresAt: number }>();
  private readonly firstSeen = new Map<string, number>();

  constructor(
    private readonly clients: readonly SimulatedClient[],
    readonly enforce: boolean,
    readonly expiresInSeconds: number,
  ) {}

  /** Returns true when the id and secret belong to a configured client. The secret is compared in constant time. */
  authenticateClient(clientId: string, clientSecret: string): boolean {
    const client = this.clients.find((candidate) => candidate.clientId === clientId);
    return client !== undefined && sameSecret(client.clientSecret, clientSecret);
  }

  /** Issues a fresh random token for `clientId`. */
  issue(clientId: string, now: number): string {
    const token = randomBytes(32).toString('base64url');
    this.issued.set(token, { clientId, expiresAt: now + this.expiresInSeconds * 1000 });
    return token;
  }

  /** Checks an `Authorization` header value. */
  check(authorization: string | undefined, now: number): BearerCheck {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
    const token = match?.[1];
    if (token === undefined) {
      const problem = authorization === undefined || authorization.trim() === '' ? 'is missing' : 'is not "Bearer <token>"';
      return {
        ok: false,
        fault: 'no-token',
        message: `Authentication required: the Authorization header ${problem}. Send "Authorization: Bearer <access token>".`,
      };
    }
    if (!this.enforce) return { ok: true, token };

    const issued = this.issued.get(token);
    if (issued === undefined) {
      return {
        ok: false,
        fault: 'unknown-token',
        message: 'Authentication failed: the access token was not issued by this server. Get one from POST /as/token.oauth2.',
      };
    }
    if (now >= issued.expiresAt) {
      return {
        ok: false,
        fault: 'token-expired',
        message: `Authentication failed: the access token expired at ${new Date(issued.expiresAt).toISOString()}. Get a new one from POST /as/token.oauth2.`,
      };
    }
    return { ok: true, token };
  }

  /** Returns when `token` was first seen, recording `now` on its first use. */
  firstSeenAt(token: string, now: number): number {
    const seen = this.firstSeen.get(token);
    if (seen !== undefined) return seen;
    this.firstSeen.set(token, now);
    return now;
  }

  clear(): void {
    this.issued.clear();
    this.firstSeen.clear();
  }
}

// Hashing first gives both buffers the same length, which timingSafeEqual requires.
function sameSecret(expected: string, actual: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(actual));
}
