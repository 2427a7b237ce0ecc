/**
 * What image and trace names mean in the app (both adapters): an image is a
 * file in the data folder's images/, named by the user; a trace is one the
 * user uploaded into this connection's session. Neither reaches any other
 * file, whatever a request says (the contract already refuses paths; this is
 * the second line).
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkDataName } from '../../shared/ipc/names';
import { err, ok } from '../../shared/scsi/result';
import type { DeviceFiles } from '../engine/device-string';

function imagesDir(dataDir: string): string {
  return join(dataDir, 'images');
}

/** @param uploaded the text of the trace uploaded under a name in this session, if any */
export function appDeviceFiles(
  dataDir: string,
  uploaded: (name: string) => string | undefined,
): DeviceFiles {
  return {
    image(name) {
      const r = checkDataName(name, 'the image name');
      if (!r.ok) return r;
      const dir = imagesDir(dataDir);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      return ok(join(dir, name));
    },
    trace(name) {
      const text = uploaded(name);
      return Promise.resolve(
        text !== undefined
          ? ok(text)
          : err({
              code: 'device',
              message: `no trace "${name}" is loaded in this window; load it with "Open trace…" first`,
            }),
      );
    },
  };
}

/** The images in the data folder, by name (regular files only), for the device picker. */
export function listImages(dataDir: string): { name: string; bytes: number }[] {
  let names: string[];
  try {
    names = readdirSync(imagesDir(dataDir));
  } catch {
    return []; // no images folder yet: no images
  }
  return names.flatMap((name) => {
    if (!checkDataName(name, 'image').ok) return [];
    const st = statSync(join(imagesDir(dataDir), name), { throwIfNoEntry: false });
    return st?.isFile() ? [{ name, bytes: st.size }] : [];
  });
}
