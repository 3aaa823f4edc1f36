import { randomUUID } from 'node:crypto';

import { MAX_BODY_BYTES, type Reply, apiErrorReply, jsonReply } from './http.js';
import { operationAt } from './results.js';
import type { Scenario, SimulatedTask } from './types.js';

/** Path prefix of the AOS-S operations, followed by the serial number. */
export const AOS_S_PREFIX = '/network-troubleshooting/v1alpha1/aos-s/';

/** Origin of the `location` that the `absolute-location` start body returns. It is never requested. */
export const OTHER_HOST_ORIGIN = 'https://other.example.invalid';

// Limits of the spec's path parameters and port names.
const MAX_ID_LENGTH = 128;
const MAX_PORT_LENGTH = 64;

/** Operation a path leads to, with its path parameters still percent-encoded. */
export type Route =
  | { kind: 'start'; serialSegment: string }
  | { kind: 'status'; serialSegment: string; taskSegment: string }
  | { kind: 'none' };

/** Matches a request path (without its query) against the two operations. */
export function matchRoute(pathname: string): Route {
  if (!pathname.startsWith(AOS_S_PREFIX)) return { kind: 'none' };
  const segments = pathname.slice(AOS_S_PREFIX.length).split('/');

  const [serialSegment, cableTest, operations, taskSegment, ...rest] = segments;
  if (serialSegment === undefined || serialSegment === '' || cableTest !== 'cableTest') return { kind: 'none' };
  if (operations === undefined) return { kind: 'start', serialSegment };
  if (operations === 'async-operations' && taskSegment !== undefined && taskSegment !== '' && rest.length === 0) {
    return { kind: 'status', serialSegment, taskSegment };
  }
  return { kind: 'none' };
}

/** Decodes a path parameter once. Returns undefined when its percent-encoding is malformed. */
export function decodePathParameter(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Checks a decoded path parameter against the spec's length limits and returns a 400 reply when it fails. */
export function checkPathParameter(value: string | undefined, name: 'serial-number' | 'task-id'): Reply | undefined {
  if (value === undefined) return badRequest(`${name} is not valid percent-encoding`);
  if (value.length === 0 || value.length > MAX_ID_LENGTH) return badRequest(`${name} is invalid (1 to ${MAX_ID_LENGTH} characters)`);
  return undefined;
}

/** Body of a start request as received. */
export interface StartRequestBody {
  mediaType: string;
  text: string;
  truncated: boolean;
}

/** Response of an operation, the id of the test it concerns, and the scenario behaviour it showed. */
export interface OperationOutcome {
  reply: Reply;
  taskId?: string | undefined;
  fault?: string | undefined;
}

type TaskRecord = { -readonly [K in keyof SimulatedTask]: SimulatedTask[K] };

/** The two cable test operations and the tests they started. */
export class CableTestApi {
  private readonly byId = new Map<string, TaskRecord>();
  private readonly started: TaskRecord[] = [];

  constructor(private readonly defaultDurationMs: number) {}

  /** Started tests, in order. `clear()` empties this same array. */
  get tasks(): readonly SimulatedTask[] {
    return this.started;
  }

  /** `POST …/aos-s/{serial-number}/cableTest`. */
  start(serialNumber: string, scenario: Scenario, body: StartRequestBody, now: number): OperationOutcome {
    if (scenario.device === 'not-found') return { reply: deviceNotFound(serialNumber) };

    const parsed = parseStartBody(body);
    if ('status' in parsed) return { reply: parsed };

    if (scenario.device === 'offline') {
      return { reply: apiErrorReply(409, 'HPE_GRAVITY_DEVICE_OFFLINE', `Device offline: ${serialNumber}`) };
    }
    if (scenario.device === 'not-ready') {
      return {
        reply: apiErrorReply(409, 'HPE_GRAVITY_DEVICE_NOT_READY', `Device not ready: ${serialNumber}`, {
          fields: { errorType: 'CONFLICT' },
        }),
      };
    }

    const task: TaskRecord = {
      taskId: randomUUID(),
      serialNumber,
      ports: Object.freeze([...parsed.ports]),
      startedAt: now,
      durationMs: scenario.durationMs ?? this.defaultDurationMs,
      polls: 0,
    };
    this.byId.set(task.taskId, task);
    this.started.push(task);

    const path = `${AOS_S_PREFIX}${encodeURIComponent(serialNumber)}/cableTest/async-operations/${task.taskId}`;
    const startTime = new Date(now).toISOString();
    switch (scenario.startBody) {
      case 'empty':
        return { reply: { status: 202, headers: { 'content-type': 'application/json' }, body: '' }, taskId: task.taskId };
      case 'absolute-location':
        return { reply: jsonReply(202, { location: `${OTHER_HOST_ORIGIN}${path}`, status: 'INITIATED', startTime }), taskId: task.taskId };
      case 'normal':
        return { reply: jsonReply(202, { location: path, status: 'INITIATED', startTime }), taskId: task.taskId };
    }
  }

  /** `GET …/aos-s/{serial-number}/cableTest/async-operations/{task-id}`. */
  status(serialNumber: string, taskId: string, scenario: Scenario, now: number): OperationOutcome {
    if (scenario.device === 'not-found') return { reply: deviceNotFound(serialNumber) };

    const task = this.byId.get(taskId);
    if (task === undefined || task.serialNumber !== serialNumber) return { reply: taskNotFound(taskId) };

    task.polls += 1;
    if (task.polls <= scenario.unregisteredPolls) return { reply: taskNotFound(taskId), taskId, fault: 'unregistered' };
    return { reply: jsonReply(200, operationAt(task, scenario, now)), taskId };
  }

  clear(): void {
    this.byId.clear();
    this.started.length = 0;
  }
}

/** Checks a start body like the spec's `CableTestRequest` and returns the ports, or a 400 reply. */
function parseStartBody(body: StartRequestBody): { ports: string[] } | Reply {
  if (body.mediaType !== 'application/json') return badRequest('the request body must be JSON (Content-Type: application/json)');
  if (body.truncated) return badRequest(`the request body is larger than ${MAX_BODY_BYTES} bytes`);

  let value: unknown;
  try {
    value = JSON.parse(body.text) as unknown;
  } catch {
    return badRequest('the request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return badRequest('the request body must be an object with ports');
  }

  const unknownKey = Object.keys(value).find((key) => key !== 'ports');
  if (unknownKey !== undefined) return badRequest(`${unknownKey} is not a known property`);

  const { ports } = value as { ports?: unknown };
  if (ports === undefined) return badRequest('ports is required');
  if (!Array.isArray(ports)) return badRequest('ports must be an array of strings');
  if (ports.length === 0) return badRequest('ports must not be empty');

  const seen = new Set<string>();
  for (const [index, port] of ports.entries()) {
    if (typeof port !== 'string') return badRequest(`ports[${index}] must be a string`);
    if (port.length === 0 || port.length > MAX_PORT_LENGTH) return badRequest(`ports[${index}] must have 1 to ${MAX_PORT_LENGTH} characters`);
    if (seen.has(port)) return badRequest(`ports[${index}] repeats the port ${JSON.stringify(port)}`);
    seen.add(port);
  }
  return { ports: ports as string[] };
}

function badRequest(problem: string): Reply {
  return apiErrorReply(400, 'HPE_GRAVITY_BAD_REQUEST', `Validation errors - ${problem}`);
}

function deviceNotFound(serialNumber: string): Reply {
  return apiErrorReply(404, 'HPE_GRAVITY_DEVICE_NOT_FOUND', `Device not found: ${serialNumber}`);
}

function taskNotFound(taskId: string): Reply {
  return apiErrorReply(404, 'HPE_GRAVITY_TASK_NOT_FOUND', `Async operation task not found: ${taskId}`);
}
