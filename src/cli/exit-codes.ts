/** Exit codes of `central-troubleshoot`, listed in its `--help`. */

/** The command succeeded. A completed cable test exits 0 whatever the verdicts of its ports. */
export const EXIT_SUCCESS = 0;

/** An unexpected internal error. `CENTRAL_DEBUG=1` prints its stack trace. */
export const EXIT_INTERNAL_ERROR = 1;

/** Invalid or missing arguments, credentials or cluster. No request was sent. */
export const EXIT_USAGE_ERROR = 2;

/** The API returned an error status or a malformed response, or the connection failed. */
export const EXIT_API_ERROR = 3;

/** The switch reported the cable test as FAILED. */
export const EXIT_TEST_FAILED = 4;

/** The wait timed out before the test finished, so the test may still be running. */
export const EXIT_TIMEOUT = 5;

/** The command was interrupted by SIGINT (Ctrl-C) or SIGTERM: 128 plus the number of SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** Exit codes and their meaning, in the order the help lists them. */
export const EXIT_CODE_DESCRIPTIONS: ReadonlyArray<readonly [code: number, meaning: string]> = [
  [EXIT_SUCCESS, 'success (a completed test exits 0 whatever its verdicts)'],
  [EXIT_INTERNAL_ERROR, 'unexpected internal error'],
  [EXIT_USAGE_ERROR, 'usage error: invalid or missing arguments, credentials or cluster'],
  [EXIT_API_ERROR, 'API or connection error'],
  [EXIT_TEST_FAILED, 'the switch reported the cable test as FAILED'],
  [EXIT_TIMEOUT, 'the wait timed out; the command to resume it is printed'],
  [EXIT_INTERRUPTED, 'interrupted (Ctrl-C or SIGTERM); the command to resume is printed when the test had started'],
];
