/**
 * fast-check generators of status response bodies (`CableTestOperation` in
 * spec/openapi.yaml): bodies the spec allows, with extra fields, nulls, unknown status
 * strings and ports missing from the results, and bodies broken in exactly one place.
 */
import fc from 'fast-check';

/** Pair statuses that the spec lists as seen, and the verdict each must get. */
export const DOCUMENTED_PAIR_STATUSES = {
  Good: 'good',
  Open: 'open',
  Short: 'fault',
  'Impedance Mismatch': 'fault',
  Crosstalk: 'fault',
} as const;

const KNOWN_OPERATION_STATUSES = ['INITIATED', 'RUNNING', 'COMPLETED', 'FAILED'];

// Port names from a small pool, so that `output.ports` and `results` often name the same port.
const PORT_POOL = ['1', '2', '3', '6', '49', 'A1', 'A2', '1/5', '2/11', '__proto__', 'constructor', 'toString', ''];

const OPERATION_KEYS = ['status', 'progressPercent', 'startTime', 'endTime', 'failReason', 'output'];
const OUTPUT_KEYS = ['ports', 'results'];
const PORT_RESULT_KEYS = ['interfaceName', 'cablePairDiagnostics'];
const PAIR_KEYS = ['pairName', 'status', 'length'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A port name: mostly from the shared pool, sometimes any string. */
export const portName: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PORT_POOL) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);

/** Documented statuses with random letter case and surrounding whitespace. */
export const documentedStatusVariant: fc.Arbitrary<{ sent: string; canonical: keyof typeof DOCUMENTED_PAIR_STATUSES }> = fc
  .tuple(
    fc.constantFrom(...(Object.keys(DOCUMENTED_PAIR_STATUSES) as (keyof typeof DOCUMENTED_PAIR_STATUSES)[])),
    fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
    fc.constantFrom('', ' ', '  ', '\t'),
    fc.constantFrom('', ' ', '\n'),
  )
  .map(([canonical, upper, before, after]) => {
    const cased = [...canonical].map((letter, index) => (upper[index] ? letter.toUpperCase() : letter.toLowerCase())).join('');
    return { sent: `${before}${cased}${after}`, canonical };
  });

/** Statuses that name no known verdict: a documented word with something added, or negated. */
export const unclassifiedStatus: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('Good', 'Open', 'Short', 'Crosstalk', 'Normal', 'OK', 'Pass'),
    fc.constantFrom('Not {}', 'No {}', '{}?', '{}-ish', '{} (marginal)', '{}!', '{}1', 'Un{}', 'Almost {}', '{}/{}'),
  )
  .map(([word, pattern]) => pattern.replaceAll('{}', word));

const pairStatus: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...Object.keys(DOCUMENTED_PAIR_STATUSES)) },
  { weight: 2, arbitrary: documentedStatusVariant.map((variant) => variant.sent) },
  { weight: 2, arbitrary: unclassifiedStatus },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constant(null) },
);

const pairLength: fc.Arbitrary<string | null> = fc.oneof(
  fc.stringMatching(/^\d{1,3}(\.\d{1,2})?$/),
  fc.constantFrom('', '0', ' 12 ', '-3', '1e2', 'NaN', 'unknown', '12m', '0x10'),
  fc.string({ maxLength: 6 }),
  fc.constant(null),
);

/** Adds 0 to 2 extra fields, with names unknown to the spec, to every generated object. */
function withExtraFields<T extends JsonObject>(arbitrary: fc.Arbitrary<T>, knownKeys: readonly string[]): fc.Arbitrary<T> {
  const extraKey = fc
    .oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'x-vendor', 'links'))
    .filter((key) => !knownKeys.includes(key));
  const extras = fc.dictionary(extraKey, fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxKeys: 2 });
  return fc.tuple(arbitrary, extras).map(([value, extra]) => {
    const combined: JsonObject = {};
    for (const [key, item] of Object.entries(extra)) Object.defineProperty(combined, key, { value: item, enumerable: true, writable: true, configurable: true });
    for (const [key, item] of Object.entries(value)) Object.defineProperty(combined, key, { value: item, enumerable: true, writable: true, configurable: true });
    return combined as T;
  });
}

const pairDiagnostic = withExtraFields(
  fc.record(
    {
      pairName: fc.oneof(fc.constantFrom('1-2', '3-6', '4-5', '7-8'), fc.string({ maxLength: 5 })),
      status: pairStatus,
      length: pairLength,
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<JsonObject>,
  PAIR_KEYS,
);

const portResult = withExtraFields(
  fc.record(
    { interfaceName: portName, cablePairDiagnostics: fc.array(pairDiagnostic, { maxLength: 5 }) },
    { requiredKeys: ['interfaceName'] },
  ) as fc.Arbitrary<JsonObject>,
  PORT_RESULT_KEYS,
);

const output = withExtraFields(
  fc.record(
    { ports: fc.array(portName, { maxLength: 6 }), results: fc.array(portResult, { maxLength: 6 }) },
    { requiredKeys: [] },
  ) as fc.Arbitrary<JsonObject>,
  OUTPUT_KEYS,
);

const nullableText = fc.oneof(fc.string({ maxLength: 30 }), fc.constant(null));

/** A status body that spec/openapi.yaml allows. */
export const specValidStatusBody: fc.Arbitrary<JsonObject> = withExtraFields(
  fc.record(
    {
      status: fc.oneof(fc.constantFrom(...KNOWN_OPERATION_STATUSES), fc.string({ maxLength: 12 })),
      progressPercent: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(null)),
      startTime: nullableText,
      endTime: nullableText,
      failReason: nullableText,
      output: fc.oneof({ weight: 4, arbitrary: output }, { weight: 1, arbitrary: fc.constant(null) }),
    },
    { requiredKeys: ['status'] },
  ) as fc.Arbitrary<JsonObject>,
  OPERATION_KEYS,
);

/** A JSON value of a type other than string or null. */
const notStringOrNull: fc.Arbitrary<Json> = fc.oneof<fc.Arbitrary<Json>[]>(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant<Json>({}),
  fc.constant<Json>([]),
  fc.constant<Json>(['x']),
);

/** A number, boolean or string. Arrays in place of objects have their own test in test/property/malformed-bodies.test.ts. */
const primitive: fc.Arbitrary<Json> = fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 8 }));

/** One way to break a body. `apply` returns a broken copy of the body. */
interface Break {
  description: string;
  apply(body: JsonObject): JsonObject | Json;
}

/** Returns a deep copy, so a break never changes the generated body it starts from. */
function copy<T extends Json>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function ensureOutput(body: JsonObject): JsonObject {
  const current = body.output;
  const outputObject: JsonObject = current !== null && typeof current === 'object' && !Array.isArray(current) ? current : {};
  body.output = outputObject;
  return outputObject;
}

function ensureFirstResult(body: JsonObject): JsonObject {
  const outputObject = ensureOutput(body);
  const results = Array.isArray(outputObject.results) ? outputObject.results : [];
  outputObject.results = results;
  const first = results[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) return first;
  const created: JsonObject = { interfaceName: '1', cablePairDiagnostics: [] };
  results.unshift(created);
  return created;
}

function ensureFirstPair(body: JsonObject): JsonObject {
  const result = ensureFirstResult(body);
  const pairs = Array.isArray(result.cablePairDiagnostics) ? result.cablePairDiagnostics : [];
  result.cablePairDiagnostics = pairs;
  const first = pairs[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) return first;
  const created: JsonObject = { pairName: '1-2', status: 'Good', length: '1' };
  pairs.unshift(created);
  return created;
}

const breaks: fc.Arbitrary<Break> = fc.oneof(
  fc.constantFrom<Break>({ description: 'status missing', apply: (body) => { const broken = copy(body); delete broken.status; return broken; } }),
  notStringOrNull.map((value): Break => ({ description: `status ${JSON.stringify(value)}`, apply: (body) => ({ ...copy(body), status: value }) })),
  fc.constant<Break>({ description: 'status null', apply: (body) => ({ ...copy(body), status: null }) }),
  fc
    .oneof(
      fc.integer({ max: -1 }),
      fc.integer({ min: 101 }),
      fc.double({ min: 0.01, max: 99.99, noNaN: true }).filter((value) => !Number.isInteger(value)),
      fc.string({ maxLength: 3 }),
      fc.boolean(),
    )
    .map((value): Break => ({ description: `progressPercent ${JSON.stringify(value)}`, apply: (body) => ({ ...copy(body), progressPercent: value }) })),
  fc
    .tuple(fc.constantFrom('startTime', 'endTime', 'failReason'), notStringOrNull)
    .map(([key, value]): Break => ({ description: `${key} ${JSON.stringify(value)}`, apply: (body) => ({ ...copy(body), [key]: value }) })),
  primitive.map((value): Break => ({ description: `output ${JSON.stringify(value)}`, apply: (body) => ({ ...copy(body), output: value }) })),
  fc
    .oneof(primitive, fc.constant<Json>({}), fc.constant<Json>([1]), fc.constant<Json>([null]))
    .map((value): Break => ({
      description: `output.ports ${JSON.stringify(value)}`,
      apply: (body) => { const broken = copy(body); ensureOutput(broken).ports = value; return broken; },
    })),
  fc
    .oneof(primitive, fc.constant({}))
    .map((value): Break => ({
      description: `output.results ${JSON.stringify(value)}`,
      apply: (body) => { const broken = copy(body); ensureOutput(broken).results = value; return broken; },
    })),
  fc
    .oneof(primitive, fc.constant(null))
    .map((value): Break => ({
      description: `results[0] ${JSON.stringify(value)}`,
      apply: (body) => { const broken = copy(body); ensureFirstResult(broken); (ensureOutput(broken).results as Json[])[0] = value; return broken; },
    })),
  fc
    .oneof(notStringOrNull, fc.constant(null), fc.constant(undefined))
    .map((value): Break => ({
      description: `results[0].interfaceName ${JSON.stringify(value) ?? 'missing'}`,
      apply: (body) => {
        const broken = copy(body);
        const result = ensureFirstResult(broken);
        if (value === undefined) delete result.interfaceName;
        else result.interfaceName = value;
        return broken;
      },
    })),
  fc
    .oneof(primitive, fc.constant({}), fc.constant(null))
    .map((value): Break => ({
      description: `cablePairDiagnostics ${JSON.stringify(value)}`,
      apply: (body) => { const broken = copy(body); ensureFirstResult(broken).cablePairDiagnostics = value; return broken; },
    })),
  fc
    .oneof(primitive, fc.constant(null))
    .map((value): Break => ({
      description: `cablePairDiagnostics[0] ${JSON.stringify(value)}`,
      apply: (body) => {
        const broken = copy(body);
        ensureFirstPair(broken);
        (ensureFirstResult(broken).cablePairDiagnostics as Json[])[0] = value;
        return broken;
      },
    })),
  fc
    .tuple(fc.constantFrom('pairName', 'status', 'length'), notStringOrNull)
    .map(([key, value]): Break => ({
      description: `pair ${key} ${JSON.stringify(value)}`,
      apply: (body) => { const broken = copy(body); ensureFirstPair(broken)[key] = value; return broken; },
    })),
  fc.constant<Break>({ description: 'pair pairName null', apply: (body) => { const broken = copy(body); ensureFirstPair(broken).pairName = null; return broken; } }),
  fc
    .oneof(fc.constant(null), primitive, fc.array(fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>, { maxLength: 3 }))
    .map((value): Break => ({ description: `body ${JSON.stringify(value)}`, apply: () => value })),
);

/** A status body that breaks the spec in one place, as JSON text, with a description of the break. */
export const brokenStatusBody: fc.Arbitrary<{ text: string; description: string }> = fc
  .tuple(specValidStatusBody, breaks)
  .map(([body, broken]) => ({ text: JSON.stringify(broken.apply(body)), description: broken.description }));

/** Body text that is not JSON: truncated JSON, HTML, plain text, or whitespace only. */
export const nonJsonText: fc.Arbitrary<string> = fc.oneof(
  specValidStatusBody.map((body) => JSON.stringify(body)).chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut))),
  fc.constantFrom('<!DOCTYPE html><html><body>Sign in</body></html>', 'OK', 'undefined', "{'status':'RUNNING'}", '{"status":"RUNNING",}', 'NaN', ' ', '\n'),
  fc.string({ maxLength: 20 }).filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  }),
);
