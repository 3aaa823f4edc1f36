import { InvalidArgumentError } from './errors.js';

/** Maximum length of a serial number, stack id or task id, as in the API description. */
const MAX_ID_LENGTH = 128;

/** Maximum length of a port name, as in the API description. */
const MAX_PORT_LENGTH = 64;

// C0 and C1 control characters, DEL included.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Shows a value in an error message: strings quoted with escapes, other types named. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const excerpt = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    return JSON.stringify(excerpt);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Returns what is wrong with a serial number, stack id or task id, or undefined when it is usable. */
export function identifierProblemOf(value: unknown): string | undefined {
  return identifierProblem(value, MAX_ID_LENGTH);
}

/**
 * Checks an identifier that goes into a URL path (serial number, stack id, task id) and
 * returns it unchanged. It must be a non-empty string without whitespace or control
 * characters; it is percent-encoded once when the request is built.
 */
export function validateIdentifier(value: unknown, argument: string, hint: string): string {
  const problem = identifierProblemOf(value);
  if (problem !== undefined) {
    throw new InvalidArgumentError(
      argument,
      `Invalid ${argument} ${describeValue(value)}: ${problem}. ${hint}`,
    );
  }
  return value as string;
}

/** Checks a serial number or stack id. */
export function validateSerialNumber(value: unknown, argument = 'serialNumber'): string {
  return validateIdentifier(
    value,
    argument,
    'Pass the serial number shown in Central, such as "SG30JY1234", or the stack id of a stacked switch.',
  );
}

/** Checks a task id. */
export function validateTaskId(value: unknown, argument = 'taskId'): string {
  return validateIdentifier(
    value,
    argument,
    'Pass the taskId returned by startCableTest (the last segment of its location).',
  );
}

/**
 * Checks a port list and returns a copy of it. Each port must be a non-empty string
 * without surrounding whitespace or control characters, and appear once.
 */
export function validatePorts(value: unknown, argument = 'ports'): string[] {
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError(
      argument,
      `Invalid ${argument} ${describeValue(value)}: expected an array of port names such as ["1", "A1", "1/5"].`,
    );
  }
  if (value.length === 0) {
    throw new InvalidArgumentError(
      argument,
      `Invalid ${argument}: the list is empty. Name at least one port, such as ["1"].`,
    );
  }

  const seen = new Set<string>();
  // An index loop, not forEach, so the holes of a sparse array are checked too.
  for (let index = 0; index < value.length; index++) {
    const port: unknown = value[index];
    const name = `${argument}[${index}]`;
    const problem = identifierProblem(port, MAX_PORT_LENGTH);
    if (problem !== undefined) {
      throw new InvalidArgumentError(
        name,
        `Invalid ${name} ${describeValue(port)}: ${problem}. Use port names as the switch shows them, such as "1", "A1" or "1/5".`,
      );
    }
    if (looksLikePortList(port as string)) {
      throw new InvalidArgumentError(
        name,
        `Invalid ${name} ${describeValue(port)}: it looks like a list or range of ports. Name each port separately, such as ["1", "2", "3", "4"].`,
      );
    }
    if (seen.has(port as string)) {
      throw new InvalidArgumentError(
        name,
        `Invalid ${name} ${describeValue(port)}: the port is listed twice. List each port once.`,
      );
    }
    seen.add(port as string);
  }

  return [...(value as string[])];
}

/**
 * Checks a duration option in milliseconds: a finite number, at least `min`.
 * Returns `fallback` when the option is undefined.
 */
export function validateDuration(
  value: unknown,
  argument: string,
  fallback: number,
  min = 0,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new InvalidArgumentError(
      argument,
      `Invalid ${argument} ${describeValue(value)}: expected a finite number of milliseconds, at least ${min}.`,
    );
  }
  return value;
}

/** Checks a count option: an integer from `min` to `max`. */
export function validateCount(
  value: unknown,
  argument: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(
      argument,
      `Invalid ${argument} ${describeValue(value)}: expected an integer from ${min} to ${max}.`,
    );
  }
  return value;
}

// The AOS-S command line writes port lists as "1,3" and ranges as "1-4", "A1-A4" or
// "1/1-1/4". The API takes one port name per entry, so such strings are rejected.
function looksLikePortList(port: string): boolean {
  return port.includes(',') || /^[A-Za-z]*\d+(\/\d+)?-[A-Za-z]*\d+(\/\d+)?$/.test(port);
}

function hasUnpairedSurrogate(value: string): boolean {
  try {
    encodeURIComponent(value);
    return false;
  } catch {
    return true;
  }
}

function identifierProblem(value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string') return 'expected a string';
  if (value.length === 0) return 'it is empty';
  if (value.trim().length === 0) return 'it is only whitespace';
  if (CONTROL_CHARACTER.test(value)) return 'it contains a control character';
  if (/\s/.test(value)) return 'it contains whitespace';
  if (hasUnpairedSurrogate(value)) return 'it contains an unpaired UTF-16 surrogate, which cannot be put into a URL';
  if (value.length > maxLength) return `it is longer than ${maxLength} characters`;
  // URL parsers resolve "." and ".." segments even when percent-encoding leaves them as is.
  if (value === '.' || value === '..') return 'it is a dot segment, which would change the URL path';
  return undefined;
}
