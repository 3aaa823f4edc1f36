import { CLUSTERS, DEFAULT_TOKEN_URL, DEFAULT_WAIT_TIMEOUT_MS } from '../index.js';
import { type CommandName, PROGRAM_NAME } from './args.js';
import { EXIT_CODE_DESCRIPTIONS } from './exit-codes.js';

const DEFAULT_TIMEOUT_SECONDS = DEFAULT_WAIT_TIMEOUT_MS / 1000;

const ENVIRONMENT = `Environment (secrets have no flags, so they stay out of the shell history):
  CENTRAL_CLUSTER             cluster name, such as us-west-4 (--cluster overrides it)
  CENTRAL_BASE_URL            API gateway URL, for other deployments (--base-url overrides it)
  CENTRAL_CLIENT_ID           client id of a GreenLake API client
  CENTRAL_CLIENT_SECRET       its client secret (or CENTRAL_CLIENT_SECRET_FILE: a file holding it)
  CENTRAL_TOKEN_URL           token endpoint (default: ${DEFAULT_TOKEN_URL})
  CENTRAL_TOKEN               an access token, instead of client credentials (or CENTRAL_TOKEN_FILE)
  CENTRAL_DEBUG               set to 1 to print retries and the stack trace of errors

Clusters: ${CLUSTERS.join(', ')}`;

const EXIT_CODES = ['Exit codes:', ...EXIT_CODE_DESCRIPTIONS.map(([code, meaning]) => `  ${String(code).padEnd(3)} ${meaning}`)].join('\n');

const COMMON_OPTIONS = `  --cluster NAME     Central cluster, such as us-west-4 (default: $CENTRAL_CLUSTER)
  --base-url URL     API gateway URL, instead of --cluster (default: $CENTRAL_BASE_URL)
  --json             print the result as JSON on stdout: {"result": ..., "summary": ...}
  --progress         print progress on stderr even when it is not a terminal
  -h, --help         print this help`;

const TOP_LEVEL_HELP = `Usage: ${PROGRAM_NAME} <command> [options]

Runs cable tests on AOS-S switches through the HPE Aruba Networking Central API.
A cable test takes the links of the tested ports down while it runs.

Commands:
  cable-test <serial> <port...>              start a cable test and wait for its result
  cable-test-status <serial> <task-id>       read the state of a started test (--wait to follow it)
  simulate                                   run a local Central simulator to try the commands safely

Options:
  -h, --help     print this help; "${PROGRAM_NAME} <command> --help" describes a command
  --version      print the version

${ENVIRONMENT}

${EXIT_CODES}
`;

const CABLE_TEST_HELP = `Usage: ${PROGRAM_NAME} cable-test <serial> <port...> [options]

Starts a cable test on the listed ports of a switch, waits until it completes and prints
one row per wire pair and a summary. <serial> is the serial number of the switch, or the
stack id of a stacked switch. Ports are named as the switch shows them, such as 3, A1 or 1/5.
The links of the tested ports go down while the test runs.

Options:
${COMMON_OPTIONS}
  --timeout SECONDS  time to wait for the result, counted from the start request (default: ${DEFAULT_TIMEOUT_SECONDS})

Example:
  ${PROGRAM_NAME} cable-test SG30JY1234 3 6 --cluster us-west-4

${ENVIRONMENT}

${EXIT_CODES}
`;

const CABLE_TEST_STATUS_HELP = `Usage: ${PROGRAM_NAME} cable-test-status <serial> <task-id> [--wait] [options]

Reads the state of a cable test started earlier, once. A completed test prints its results;
an unfinished test prints its status, its progress and the command that waits for it.
<task-id> is the task id printed by cable-test.

Options:
  --wait             follow the test until it completes, then print the results
${COMMON_OPTIONS}
  --timeout SECONDS  time to wait with --wait (default: ${DEFAULT_TIMEOUT_SECONDS})

${ENVIRONMENT}

${EXIT_CODES}
`;

const SIMULATE_HELP = `Usage: ${PROGRAM_NAME} simulate [--port N] [--scenario FILE] [--duration SECONDS]

Runs a local stand-in for Central on 127.0.0.1 until Ctrl-C: cable tests move from
INITIATED through RUNNING to COMPLETED, and serial numbers such as SIM-FAULTS-01 or
SIM-OFFLINE-01 choose a scenario (faults, offline devices, rate limits, server errors).
It prints its URL, its demo client credentials and the scenario list. No switch is touched.

Options:
  --port N             TCP port on 127.0.0.1 (default: 0, a free port)
  --scenario FILE      JSON file mapping serial numbers to scenario settings
  --duration SECONDS   time from the start to the end of a simulated test (default: 3)
  -h, --help           print this help

Exit codes:
  0   stopped with Ctrl-C or SIGTERM after a clean shutdown
  1   unexpected internal error
  2   usage error: invalid options, an invalid scenario file, or a port in use
`;

/** Returns the help text of a command, or of the program when `command` is undefined. */
export function helpText(command: CommandName | undefined): string {
  if (command === 'simulate') return SIMULATE_HELP;
  if (command === 'cable-test') return CABLE_TEST_HELP;
  if (command === 'cable-test-status') return CABLE_TEST_STATUS_HELP;
  return TOP_LEVEL_HELP;
}
