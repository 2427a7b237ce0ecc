/**
 * Running the Debian programs the tests compare usbcdb with (sg3_utils, sdparm, hdparm, tshark);
 * a missing program fails loudly, naming its package, never skips.
 */
import { spawnSync } from 'node:child_process';

function requirePeer(program: string, debPackage: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${program}`]);
  if (r.status !== 0) {
    throw new Error(
      `${program} is not installed: the differential tests need Debian's ${debPackage} (apt-get install ${debPackage}; npm test installs it when run as root)`,
    );
  }
}

/** Runs a peer program and returns stdout+stderr; its exit status is ignored (sg3_utils fail on /dev/null after printing). */
export function runPeer(
  program: string,
  debPackage: string,
  args: readonly string[],
  input?: string,
): string {
  requirePeer(program, debPackage);
  const r = spawnSync(program, args, {
    encoding: 'utf8',
    timeout: 10_000,
    ...(input !== undefined ? { input } : {}),
  });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

/** An sg3_utils program, as runPeer runs it. */
export function runSg3(program: string, args: readonly string[], input?: string): string {
  return runPeer(program, 'sg3-utils', args, input);
}

/**
 * As runSg3, with the output read one byte to a character (latin1): sg3_utils copies a field's
 * bytes as they are, so a non-ASCII byte in the data comes back as that byte, not as U+FFFD.
 */
export function runSg3Bytes(program: string, args: readonly string[]): string {
  requirePeer(program, 'sg3-utils');
  const r = spawnSync(program, args, { timeout: 10_000 });
  return `${r.stdout?.toString('latin1') ?? ''}${r.stderr?.toString('latin1') ?? ''}`;
}

/** tshark's standard output for these arguments; a failure throws with what tshark said. */
export function runTshark(args: readonly string[]): string {
  requirePeer('tshark', 'tshark');
  const r = spawnSync('tshark', args, {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Fields of the packets of a capture that `filter` selects (tshark -T fields), a row per packet. */
export function tsharkFields(
  file: string,
  fields: readonly string[],
  filter: string,
  more: readonly string[] = [],
): string[][] {
  return runTshark([
    '-r',
    file,
    '-Y',
    filter,
    '-T',
    'fields',
    ...more,
    ...fields.flatMap((f) => ['-e', f]),
  ])
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}
