import type { IncomingMessage, ServerResponse } from 'node:http';

/** A response before it is written: status, headers with lower-case names, and body text. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Maximum request body read, in bytes. The rest of a larger body is discarded. */
export const MAX_BODY_BYTES = 1024 * 1024;

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** Builds an API error reply in the spec's `ApiErrorBody` form. */
export function apiErrorReply(
  status: number,
  errorCode: string,
  message: string,
  extra: { headers?: Record<string, string>; fields?: Record<string, string> } = {},
): Reply {
  return jsonReply(status, { errorCode, message, ...extra.fields }, extra.headers);
}

export function htmlReply(status: number, html: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body: html };
}

/**
 * Returns the value of a `Retry-After` header: whole seconds, or the HTTP date of that
 * instant rounded up to the next whole second, because HTTP dates have no milliseconds.
 */
export function retryAfterValue(seconds: number, format: 'seconds' | 'http-date', now: number): string {
  if (format === 'seconds') return String(seconds);
  return new Date(Math.ceil((now + seconds * 1000) / 1000) * 1000).toUTCString();
}

/**
 * Reads the request body as UTF-8 text. Bytes past `MAX_BODY_BYTES` are dropped and
 * `truncated` is set. Rejects when the client aborts the request.
 */
export function readBody(request: IncomingMessage): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;

    request.on('data', (chunk: Buffer) => {
      if (size + chunk.length > MAX_BODY_BYTES) {
        truncated = true;
        chunks.push(chunk.subarray(0, Math.max(0, MAX_BODY_BYTES - size)));
        size = MAX_BODY_BYTES;
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    request.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), truncated }));
    request.on('error', reject);
    request.on('close', () => {
      if (!request.complete) reject(new Error('The client closed the connection before the request body was complete.'));
    });
  });
}

/** Writes a reply with its `content-length`. Returns false when the socket is already gone. */
export function writeReply(response: ServerResponse, reply: Reply): boolean {
  if (response.destroyed || response.socket === null || response.socket.destroyed) return false;
  const body = Buffer.from(reply.body, 'utf8');
  response.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
  response.end(body);
  return true;
}

/** Returns a header as one string: repeated headers are joined with `, `. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Returns the media type of a `content-type` header, lower-cased and without parameters. */
export function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}
