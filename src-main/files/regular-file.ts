/**
 * Whether a file a person named is a plain regular file: the check every
 * reader and writer of named files makes on the open descriptor (fstat), so
 * the file cannot be swapped between the check and the use.
 */
import { statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { attempt } from './file-io';
import { problem, type Problem } from '../../shared/scsi/result';

/** The device numbers of the kernel's pseudo file systems (/proc, /sys), whose files claim to be regular. */
let pseudoDevices: ReadonlySet<number> | undefined;

function kernelPseudoDevices(): ReadonlySet<number> {
  if (pseudoDevices) return pseudoDevices;
  const found = new Set<number>();
  if (process.platform === 'linux')
    for (const root of ['/proc', '/sys']) {
      try {
        found.add(statSync(root).dev);
      } catch {
        // Not mounted here (a minimal container): nothing to refuse from it.
      }
    }
  pseudoDevices = found;
  return found;
}

/**
 * Why a file (given its fstat) is not one usbcdb should read or write as
 * data, or undefined when it is a plain regular file. Directories, FIFOs,
 * sockets and devices are refused, and so are files in /proc and /sys: they
 * report S_IFREG with st_size 0, and /proc/self/mem reads and writes the
 * process's own memory.
 */
export function notRegularFile(path: string, stats: Stats): Problem | undefined {
  if (!stats.isFile()) {
    const kind = stats.isDirectory()
      ? 'a directory'
      : stats.isFIFO()
        ? 'a FIFO'
        : stats.isCharacterDevice() || stats.isBlockDevice()
          ? 'a device'
          : stats.isSocket()
            ? 'a socket'
            : 'a special file';
    return problem('file-not-regular', `${path} is not a regular file (it is ${kind})`);
  }
  if (kernelPseudoDevices().has(stats.dev))
    return problem(
      'file-not-regular',
      `${path} is not a regular file (it is a kernel file in /proc or /sys)`,
    );
  return undefined;
}

/**
 * Why what `path` names now (a symbolic link followed) may not be written as a file, or undefined
 * when it may: nothing, or a regular file. Asked before a command is sent, so a file that cannot
 * take its result is named before any work is done: a rename over a FIFO or a device node would
 * put a plain file in its place (run as root, over /dev/null itself), an open of a FIFO for
 * writing waits for a reader, and one over a directory fails only after the data was fetched.
 */
export function notRegularTarget(path: string): Problem | undefined {
  const found = attempt(() => statSync(path));
  // Nothing there, or nothing this process may see: the write itself then says why it fails.
  return found.ok ? notRegularFile(path, found.value) : undefined;
}

/**
 * notRegularTarget, and for a path where nothing is yet, whether its folder is there to create it
 * in: asked before a command is sent, so the answer is not fetched for a file that cannot be made
 * (`read --file no-such-folder/x` read the blocks, then failed). A folder this process may not
 * see is left for the write to explain.
 */
export function unwritableTarget(path: string): Problem | undefined {
  const refused = notRegularTarget(path);
  if (refused || attempt(() => statSync(path)).ok) return refused;
  const folder = dirname(path);
  const found = attempt(() => statSync(folder));
  if (!found.ok && (found.error.code === 'ENOENT' || found.error.code === 'ENOTDIR'))
    return problem('file-folder', `${path} cannot be created: there is no folder ${folder}`);
  if (found.ok && !found.value.isDirectory())
    return problem('file-folder', `${path} cannot be created: ${folder} is not a folder`);
  return undefined;
}
