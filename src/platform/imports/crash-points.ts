// Test-only: the points of an import at which a test can make the process kill itself, to prove that
// a crash at any of them leaves both stores in agreement once reconciled.
/** Read once at start: FLOCK_TEST_CRASH_AT names the point, e.g. "between-commits". */
const armed = process.env.FLOCK_TEST_CRASH_AT;

export type CrashPoint =
  /** Everything written, nothing committed. */
  | 'before-commit'
  /** The fact store committed, the log row still 'loading' (imports of facts only). */
  | 'between-commits'
  /** Both committed, before anything else happens. */
  | 'after-commit';

/** Kills the process, with no chance to clean up, when the test asked for this point. */
export function crashPoint(point: CrashPoint): void {
  if (armed === point) process.kill(process.pid, 'SIGKILL');
}
