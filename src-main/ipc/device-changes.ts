/**
 * Plug and unplug as a generation number that long polls can wait on
 * (`devices.watch`). The USB watcher starts on the first wait, so a process
 * that never asks (the CLI, most tests) never turns on libusb hotplug.
 */
export type Watcher = (onChange: () => void) => () => void;

export class DeviceChanges {
  private generation = 0;
  private stopWatching: (() => void) | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly watch: Watcher) {}

  /** Resolves with the generation once it differs from `seen`, or after `waitMs` unchanged. */
  wait(seen: number, waitMs: number): Promise<{ generation: number }> {
    this.stopWatching ??= this.watch(() => this.bump());
    if (seen !== this.generation) return Promise.resolve({ generation: this.generation });
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve({ generation: this.generation });
      };
      const timer = setTimeout(done, waitMs);
      this.waiters.add(done);
    });
  }

  /** A device came or went: wake every waiter. */
  bump(): void {
    this.generation++;
    for (const w of [...this.waiters]) w();
  }

  /** Stops watching and answers every waiter now. */
  stop(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
    for (const w of [...this.waiters]) w();
  }
}
