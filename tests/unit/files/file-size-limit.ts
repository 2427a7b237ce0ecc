/**
 * Runs a few lines of TypeScript in a child Node process whose file size is
 * limited with `ulimit -f` (RLIMIT_FSIZE), as a user's shell or a service
 * manager may set it: writes past the limit stop short, then fail with EFBIG
 * (Node ignores SIGXFSZ, so the process lives on to report).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/**
 * Bundles `source` (which may import repository modules by path from the
 * repository root) into `workDir` and runs it with `args` under a limit of
 * `blocks` 512-byte blocks. Returns what it printed on stdout.
 */
export function runUnderFileSizeLimit(
  workDir: string,
  source: string,
  args: readonly string[],
  blocks: number,
): ChildRun {
  return runChild(workDir, source, args, { fileSizeBlocks: blocks });
}

export interface ChildRun {
  /** The exit status; null when killed (`timedOut` then says whether the timeout did it). */
  readonly status: number | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Bundles `source` as above and runs it in a child Node process, optionally
 * under `ulimit -f`, killed after `timeoutMs` (so code that blocks forever,
 * such as a synchronous open of a FIFO, fails the test instead of hanging it).
 */
export function runChild(
  workDir: string,
  source: string,
  args: readonly string[],
  options: { fileSizeBlocks?: number; timeoutMs?: number } = {},
): ChildRun {
  const bundle = join(workDir, 'child.mjs');
  const built = buildSync({
    stdin: { contents: source, resolveDir: ROOT, loader: 'ts', sourcefile: 'child.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const [out] = built.outputFiles;
  if (!out) throw new Error('esbuild produced no output');
  writeFileSync(bundle, out.contents);
  const limit =
    options.fileSizeBlocks !== undefined ? `ulimit -f ${options.fileSizeBlocks} && ` : '';
  // "$0" "$@": the node binary, the bundle and the arguments, never re-parsed by the shell.
  const r = spawnSync('sh', ['-c', `${limit}exec "$0" "$@"`, process.execPath, bundle, ...args], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 30_000,
    killSignal: 'SIGKILL',
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (r.error && !timedOut) throw r.error;
  return { status: r.status, timedOut, stdout: r.stdout, stderr: r.stderr };
}
