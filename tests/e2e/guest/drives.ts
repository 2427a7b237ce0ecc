/**
 * The guest scenarios' common set-up: emulated drives exported over usbredir,
 * and the guest booted with them on one xHCI controller to run its commands.
 */
import type { Profile } from '../../../src-main/emulator/profile';
import { MemoryStore } from '../../../src-main/emulator/store';
import { ExportedDrive } from '../../../src-main/export/exported-drive';
import { serveUsbredir, type UsbredirExport } from '../../../src-main/export/usbredir';
import { xhciWithRedirs } from './devices';
import { ensureGuest, runGuest, type GuestRun } from './guest';

export interface DrivesRun {
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
export async function runGuestWithDrives(
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
