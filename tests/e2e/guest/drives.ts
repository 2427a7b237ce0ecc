/**
 * The guest scenarios' common set-up: emulated drives exported over usbredir,
 * and the guest booted with them on one xHCI controller to run its commands.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Profile } from '../../../src-main/emulator/profile';
import { MemoryStore } from '../../../src-main/emulator/store';
import { ExportedDrive } from '../../../src-main/export/exported-drive';
import { serveUsbredir, type UsbredirExport } from '../../../src-main/export/usbredir';
import { xhciWithRedirs } from './devices';
import { ensureGuest, resultOf, runGuest, type CommandResult, type GuestRun } from './guest';

interface DrivesRun {
  readonly run: GuestRun;
  /** Stops the exporters (they stay up after the run, so their log can still be checked). */
  close(): Promise<void>;
}

async function closeAll(exports: readonly UsbredirExport[]): Promise<void> {
  for (const e of exports) await e.close();
}

/**
 * Builds (or reuses) the guest, exports one in-memory drive per profile and
 * boots the guest with them (`ur0`, `ur1`, … in `profiles` order) to run
 * `commands`, for up to 240 s. `log` gets the guest build's and the
 * exporters' lines. On a failure the exporters started are stopped.
 */
async function runGuestWithDrives(
  profiles: readonly Profile[],
  commands: readonly string[],
  log: (line: string) => void,
): Promise<DrivesRun> {
  const guest = ensureGuest(log);
  const started = await Promise.allSettled(
    profiles.map((p) =>
      serveUsbredir({ drive: new ExportedDrive(p, new MemoryStore(p.blockSize, p.blocks)), log }),
    ),
  );
  const exports = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const run = await runGuest(guest, commands, xhciWithRedirs(exports.map((e) => e.port)), {
      timeoutMs: 240_000,
    });
    return { run, close: () => closeAll(exports) };
  } catch (e) {
    await closeAll(exports);
    throw e;
  }
}

/** A test file's one guest boot with its drives, and what the boot logged. */
export interface GuestSuite {
  /** The exporters' and the guest build's log lines. */
  readonly logs: readonly string[];
  /** The boot; valid once the file's tests run. */
  run(): GuestRun;
  /** The output of one of the boot's commands. */
  result(command: string): CommandResult;
}

/**
 * Registers a test file's set-up: before its tests, one boot with a drive per profile running
 * `commands` (runGuestWithDrives); after them, the exporters stopped.
 */
export function bootForSuite(
  profiles: readonly Profile[],
  commands: readonly string[],
): GuestSuite {
  const logs: string[] = [];
  let drives: DrivesRun | undefined;
  beforeAll(async () => {
    drives = await runGuestWithDrives(profiles, commands, (l) => void logs.push(l));
  }, 600_000);
  afterAll(async () => {
    await drives?.close();
  });
  const run = (): GuestRun => {
    if (!drives) throw new Error('the guest did not boot (see the set-up error above)');
    return drives.run;
  };
  return { logs, run, result: (command) => resultOf(run(), command) };
}
