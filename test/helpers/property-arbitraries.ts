/**
 * fast-check generators and the documented input rules shared by the property tests.
 */
import fc from 'fast-check';

import { type TroubleshootingClient, createTroubleshootingClient } from '../../src/index.js';
import { type FakeFetch, createFakeFetch, startedReplyWithLocation, statusReply } from './fake-fetch.js';

/** Maximum length of a serial number or task id, and of a port name (spec/openapi.yaml). */
export const MAX_ID_LENGTH = 128;
export const MAX_PORT_LENGTH = 64;

/** Task id in the `location` of every start reply of `fakeClient`. */
export const FAKE_TASK_ID = 'task-1';

/** C0 and C1 control characters, DEL included, and JavaScript whitespace. */
const FORBIDDEN_CHARACTER = /[\s\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Returns true when `value` follows the documented rule for a serial number, task id or
 * port name. It must be a string of 1 to `maxLength` UTF-16 code units without whitespace
 * or control characters. It must not be a dot segment, and it must be percent-encodable
 * (no lone surrogate).
 */
export function isValidIdentifier(value: unknown, maxLength: number): value is string {
  if (typeof value !== 'string') return false;
  if (value.length === 0 || value.length > maxLength) return false;
  if (FORBIDDEN_CHARACTER.test(value)) return false;
  if (value === '.' || value === '..') return false;
  return !LONE_SURROGATE.test(value);
}

/**
 * True for a port name in the notation of the AOS-S command line for several ports: a list
 * such as `1,3`, or a range such as `1-4`, `A1-A4` or `1/1-1/4`. The API takes one port per
 * entry, so the client rejects these.
 */
export function looksLikePortList(port: string): boolean {
  return port.includes(',') || /^[A-Za-z]*\d+(\/\d+)?-[A-Za-z]*\d+(\/\d+)?$/.test(port);
}

/** True for a non-empty array of distinct valid port names, none of them a list or range, without holes. */
export function isValidPortList(value: unknown): value is string[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  const names = new Set<string>();
  for (let index = 0; index < value.length; index++) {
    if (!(index in value)) return false;
    const port: unknown = value[index];
    if (!isValidIdentifier(port, MAX_PORT_LENGTH) || looksLikePortList(port) || names.has(port)) return false;
    names.add(port);
  }
  return true;
}

/** Characters that URL handling treats specially, or that validation must reject. */
const TRICKY_PIECES = [
  '.', '..', '...', '%', '%25', '%2F', '%2e', '/', '\\', '?', '#', '&', '=', '+', ';', ':', '@', ',', '-',
  '1-4', 'A1-A4', '1/1-1/4', '1,3',
  '{', '}', '{task-id}', '$&', "$'", '~', '*', "'", '(', ')', '!', '"', '<', '>', '`', '|', '^',
  ' ', '\t', '\n', '\r', '\u000b', '\f', '\u00a0', '\u1680', '\u2000', '\u2028', '\u202f', '\u3000', '\ufeff',
  '\u0000', '\u0001', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f', '\u200b', '\u200d', '\u00ad',
  'é', 'ß', 'ø', 'Å', '日本', '스위치', 'Ω', '🙂', '👩‍💻', '\u0301', 'ﬁ',
];

/** Strings of any kind: plain serials and ports, tricky pieces, any code points, and lengths around the limits. */
export function identifierCandidate(maxLength: number): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9/_-]{0,14}$/) },
    { weight: 3, arbitrary: fc.constantFrom(...TRICKY_PIECES) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(piece, { minLength: 1, maxLength: 5 }).map((pieces) => pieces.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: maxLength - 3, maxLength: maxLength + 3 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: maxLength - 3, maxLength: maxLength + 3 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1_000, maxLength: 5_000 }) },
    { weight: 1, arbitrary: fc.constant('') },
  );
}

/** Any identifier candidate, or a value that is not a string at all. */
export function identifierInput(maxLength: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: identifierCandidate(maxLength) },
    { weight: 1, arbitrary: fc.anything() },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined, 0, 42, true, [], ['SG1'], {}, Symbol('id'), () => 'SG1', new String('SG1')) },
  );
}

/** Port lists: mostly valid ones, then duplicates, empty lists, non-string items and non-arrays (never with holes). */
export function portListInput(): fc.Arbitrary<unknown> {
  const portName = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^([A-Z]?[1-9][0-9]?|[1-8]\/[1-9][0-9]?)$/) },
    { weight: 1, arbitrary: fc.stringMatching(/^([A-Z]?[1-9]-[A-Z]?[1-9][0-9]?|[1-9],[1-9]|[1-8]\/[1-9]-[1-8]\/[1-9])$/) },
    { weight: 1, arbitrary: identifierCandidate(MAX_PORT_LENGTH) },
  );
  return fc.oneof(
    { weight: 5, arbitrary: fc.uniqueArray(portName, { minLength: 1, maxLength: 8 }) },
    { weight: 2, arbitrary: fc.array(portName, { maxLength: 8 }) },
    { weight: 1, arbitrary: fc.array(fc.oneof(portName, fc.anything()), { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.anything() },
  );
}

/** Creates a client whose fake fetch replies 202 to every start and RUNNING to every status request. */
export function fakeClient(): { client: TroubleshootingClient; fake: FakeFetch } {
  const fake = createFakeFetch()
    .route('POST', /\/cableTest$/, startedReplyWithLocation(`/network-troubleshooting/v1alpha1/aos-s/SG/cableTest/async-operations/${FAKE_TASK_ID}`))
    .route('GET', /\/async-operations\/[^/]+$/, statusReply('RUNNING'));
  const client = createTroubleshootingClient({ baseUrl: 'http://127.0.0.1:9', token: 'property-token', fetch: fake.fetch, maxRetries: 0 });
  return { client, fake };
}

/** Segments of a request URL's path, percent-encoding kept. */
export function pathSegments(url: string): string[] {
  return new URL(url).pathname.split('/');
}
