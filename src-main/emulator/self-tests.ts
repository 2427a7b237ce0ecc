/**
 * The self-tests a drive has run, most recent first: what SEND DIAGNOSTIC
 * leaves and the self-test results log page reports (SPC-5, self-test results
 * log page: the 20 most recent, parameter 0001h the newest).
 */

/** SPC-5: the log keeps 20 results. */
export const SELF_TEST_LOG_SIZE = 20;

export interface SelfTestEntry {
  /** SELF-TEST CODE of the SEND DIAGNOSTIC that ran it (000b for the default self-test). */
  readonly code: number;
  /** SELF-TEST RESULTS: 0h, completed without error, for every self-test this drive runs. */
  readonly result: number;
  /** ACCUMULATED POWER ON HOURS when it ran. */
  readonly powerOnHours: number;
}

export class SelfTestLog {
  private readonly entries: SelfTestEntry[] = [];

  /** Records a self-test, dropping the oldest past 20. */
  record(entry: SelfTestEntry): void {
    this.entries.unshift(entry);
    this.entries.length = Math.min(this.entries.length, SELF_TEST_LOG_SIZE);
  }

  /** Most recent first. */
  get results(): readonly SelfTestEntry[] {
    return this.entries;
  }
}
