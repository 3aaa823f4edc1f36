import { parseArgs } from 'node:util';

/** Name of the executable, as installed by the package's `bin`. */
export const PROGRAM_NAME = 'central-troubleshoot';

/** Commands of the program. */
export const COMMAND_NAMES = ['cable-test', 'cable-test-status', 'simulate'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Options shared by both commands. */
export interface CommonOptions {
  /** Value of `--base-url`, or undefined when the flag was not given. */
  baseUrl: string | undefined;
  /** Value of `--cluster`, or undefined when the flag was not given. */
  cluster: string | undefined;
  /** True with `--json`. */
  json: boolean;
  /** True with `--progress`: progress lines go to stderr even when it is not a terminal. */
  progress: boolean;
  /** Deadline of the wait from `--timeout`, in milliseconds, or undefined for the library default. */
  timeoutMs: number | undefined;
}

/** Command line after parsing. */
export type ParsedCommandLine =
  | { kind: 'help'; command: CommandName | undefined }
  | { kind: 'version' }
  | { kind: 'cable-test'; serialNumber: string; ports: string[]; options: CommonOptions }
  | { kind: 'cable-test-status'; serialNumber: string; taskId: string; wait: boolean; options: CommonOptions }
  | { kind: 'simulate'; port: number; scenarioFile: string | undefined; durationMs: number | undefined };

/** Invalid command line. `command` names the command whose help the user should read. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly command: CommandName | undefined;

  constructor(message: string, command?: CommandName) {
    super(message);
    this.command = command;
  }
}

const COMMON_OPTIONS = {
  'base-url': { type: 'string' },
  cluster: { type: 'string' },
  json: { type: 'boolean' },
  progress: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses the arguments after the program name. The command comes first, and only `--help`,
 * `-h` and `--version` are accepted without one. Throws `UsageError` on invalid input.
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const [first, ...rest] = argv;

  if (first === undefined) throw new UsageError(`missing command. Name one of: ${COMMAND_NAMES.join(', ')}.`);
  if (first === '--help' || first === '-h') return { kind: 'help', command: undefined };
  if (first === '--version') return { kind: 'version' };
  if (first === 'help') return { kind: 'help', command: rest[0] === undefined ? undefined : toCommandName(rest[0]) };
  if (first.startsWith('-')) {
    throw new UsageError(`unknown option ${first} before the command. Put options after the command, such as "${PROGRAM_NAME} cable-test --help".`);
  }

  const command = toCommandName(first);
  if (asksForHelp(rest)) return { kind: 'help', command };

  if (command === 'simulate') return parseSimulate(rest);
  return command === 'cable-test' ? parseCableTest(rest) : parseCableTestStatus(rest);
}

function toCommandName(value: string): CommandName {
  const command = COMMAND_NAMES.find((name) => name === value);
  if (command === undefined) {
    throw new UsageError(`unknown command ${JSON.stringify(value)}. Use one of: ${COMMAND_NAMES.join(', ')}.`);
  }
  return command;
}

// `--help` wins over every other problem of the line, so help works even on an incomplete command.
function asksForHelp(args: readonly string[]): boolean {
  const endOfOptions = args.indexOf('--');
  const options = endOfOptions === -1 ? args : args.slice(0, endOfOptions);
  return options.includes('--help') || options.includes('-h');
}

function parseCableTest(args: string[]): ParsedCommandLine {
  const command = 'cable-test';
  const { values, positionals } = parseCommandArgs(command, args, {});

  const [serialNumber, ...ports] = positionals;
  if (serialNumber === undefined) throw new UsageError('missing <serial>: name the serial number of the switch, then the ports.', command);
  if (ports.length === 0) throw new UsageError(`missing <port>: name at least one port of ${serialNumber} to test, such as "1" or "A1".`, command);

  return { kind: command, serialNumber, ports, options: commonOptions(command, values) };
}

function parseCableTestStatus(args: string[]): ParsedCommandLine {
  const command = 'cable-test-status';
  const { values, positionals } = parseCommandArgs(command, args, { wait: { type: 'boolean' } });

  const [serialNumber, taskId, ...extra] = positionals;
  if (serialNumber === undefined) throw new UsageError('missing <serial>: name the serial number of the switch, then the task id.', command);
  if (taskId === undefined) throw new UsageError('missing <task-id>: name the task id that cable-test printed.', command);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}: cable-test-status takes one serial number and one task id.`, command);

  const wait = values.wait === true;
  if (!wait && values.timeout !== undefined) {
    throw new UsageError('--timeout applies only to a wait: add --wait, or remove --timeout.', command);
  }

  return { kind: command, serialNumber, taskId, wait, options: commonOptions(command, values) };
}

function parseSimulate(args: string[]): ParsedCommandLine {
  const command = 'simulate';
  let parsed: { values: ParsedValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: { port: { type: 'string' }, scenario: { type: 'string' }, duration: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error), command);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}: simulate takes only options.`, command);

  const portText = typeof values.port === 'string' ? values.port : '0';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError(`invalid --port ${JSON.stringify(portText)}: expected a TCP port from 0 to 65535 (0 picks a free one).`, command);
  }
  const duration = values.duration;
  return {
    kind: command,
    port,
    scenarioFile: typeof values.scenario === 'string' ? values.scenario : undefined,
    durationMs: typeof duration === 'string' ? parseSeconds(duration, '--duration', command) : undefined,
  };
}

type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

function parseCommandArgs(
  command: CommandName,
  args: string[],
  extraOptions: Record<string, { type: 'boolean' | 'string' }>,
): { values: ParsedValues; positionals: string[] } {
  try {
    return parseArgs({ args, options: { ...COMMON_OPTIONS, ...extraOptions }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error), command);
  }
}

// Node's messages for unknown options suggest `--`, which misleads here, so they are rewritten.
// Only the option name is shown, never a value given with `=`.
function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return message;

  const option = /Unknown option '([^']*)'/.exec(message)?.[1] ?? 'given';
  if (/^--?token$/i.test(option)) {
    return 'the token cannot be passed as an option, because it would be saved in the shell history. Set the CENTRAL_TOKEN environment variable instead.';
  }
  if (/^--?(client-?secret|secret|password)$/i.test(option)) {
    return 'secrets cannot be passed as options, because they would be saved in the shell history. Set CENTRAL_CLIENT_SECRET or CENTRAL_CLIENT_SECRET_FILE instead.';
  }
  return `unknown option ${option}.`;
}

function commonOptions(command: CommandName, values: ParsedValues): CommonOptions {
  const baseUrl = values['base-url'];
  const cluster = values.cluster;
  const timeout = values.timeout;
  return {
    baseUrl: typeof baseUrl === 'string' ? baseUrl : undefined,
    cluster: typeof cluster === 'string' ? cluster : undefined,
    json: values.json === true,
    progress: values.progress === true,
    timeoutMs: typeof timeout === 'string' ? parseSeconds(timeout, '--timeout', command) : undefined,
  };
}

/** Converts a number of seconds given to `flag` (a decimal number greater than 0) to milliseconds. */
function parseSeconds(text: string, flag: string, command: CommandName): number {
  const seconds = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`invalid ${flag} ${JSON.stringify(text)}: expected a decimal number of seconds greater than 0, such as ${flag === '--duration' ? '10' : '900'}.`, command);
  }
  return Math.max(1, Math.round(seconds * 1000));
}
