/** Invalid simulator option or scenario setting. `key` names the setting, such as `"SIM-X".faults[0].count`. */
export class SimulatorConfigError extends Error {
  override name = 'SimulatorConfigError';

  /** Path of the invalid setting. */
  readonly key: string;

  constructor(message: string, key: string) {
    super(message);
    this.key = key;
  }
}

/** Shows a value in a message: JSON for plain values, the type for the rest. */
export function describeSetting(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** Appends an object key or an array index to a setting path. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const identifier = /^[A-Za-z_$][\w$]*$/.test(key);
  if (path === '') return identifier ? key : JSON.stringify(key);
  return identifier ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Checks settings read from one source (a file, an options object) and throws a
 * `SimulatorConfigError` that names the source, the setting, the bad value and what is
 * expected.
 */
export class SettingsReader {
  constructor(private readonly source: string) {}

  fail(path: string, problem: string): never {
    throw new SimulatorConfigError(`Invalid ${this.source}: ${path} ${problem}.`, path);
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `is ${describeSetting(value)}, expected an object`);
    }
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `is ${describeSetting(value)}, expected an array`);
    return value;
  }

  /** Rejects keys outside `allowed`, so a misspelt setting is not silently ignored. */
  knownKeys(value: Record<string, unknown>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.fail(childPath(path, key), `is not a known setting, expected one of ${allowed.join(', ')}`);
      }
    }
  }

  integer(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
      this.fail(path, `is ${describeSetting(value)}, expected an integer ${range}`);
    }
    return value;
  }

  /** Checks a duration in milliseconds: a finite number of at least 0. */
  duration(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      this.fail(path, `is ${describeSetting(value)}, expected a finite number of milliseconds of at least 0`);
    }
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail(path, `is ${describeSetting(value)}, expected a string`);
    return value;
  }

  nonEmptyString(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(path, `is ${describeSetting(value)}, expected a non-empty string`);
    }
    return value;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, `is ${describeSetting(value)}, expected true or false`);
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(path, `is ${describeSetting(value)}, expected one of ${allowed.map((item) => `"${item}"`).join(', ')}`);
    }
    return value as T;
  }
}
