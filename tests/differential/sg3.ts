/** Running sg3_utils programs for differential tests; a missing program fails loudly, never skips. */
import { spawnSync } from 'node:child_process';

export function requireSg3(program: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${program}`]);
  if (r.status !== 0) {
    throw new Error(
      `${program} is not installed: the differential tests need Debian's sg3-utils (apt-get install sg3-utils; npm test installs it when run as root)`,
    );
  }
}

/** Runs an sg3_utils program and returns stdout+stderr; exit status is ignored (they fail on /dev/null after printing). */
export function runSg3(program: string, args: readonly string[], input?: string): string {
  requireSg3(program);
  const r = spawnSync(program, args, {
    encoding: 'utf8',
    timeout: 10_000,
    ...(input !== undefined ? { input } : {}),
  });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

/**
 * As runSg3, with the output read one byte to a character (latin1): sg3_utils copies a field's
 * bytes as they are, so a non-ASCII byte in the data comes back as that byte, not as U+FFFD.
 */
export function runSg3Bytes(program: string, args: readonly string[]): string {
  requireSg3(program);
  const r = spawnSync(program, args, { timeout: 10_000 });
  return `${r.stdout?.toString('latin1') ?? ''}${r.stderr?.toString('latin1') ?? ''}`;
}
