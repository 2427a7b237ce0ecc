/**
 * The token of a bridge started on a fixed port (`usbcdb serve --port N`):
 * kept in the data folder, so a bridge restarted on that port takes the same
 * token and a page left open reconnects by itself, as a person restarting
 * the server on a lab machine expects. A bridge on a free port (the default)
 * cannot be found again by an open page anyway, and gets a new token at
 * every launch. The file is the user's own (0600), beside presets and drive
 * images that the token already guards; `--new-token` replaces it.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write';
import { readBoundedRegularFileSync } from '../files/bounded-read';
import { ok, type Result } from '../../shared/scsi/result';
import { newToken } from './web-access';

/** The file in a data folder. */
export function webTokenFileIn(dataDir: string): string {
  return join(dataDir, 'web-token');
}

/** The form newToken() writes: 32 bytes as base64url, 43 characters. */
const TOKEN_FORM = /^[A-Za-z0-9_-]{43}$/;

/**
 * Whether the file grants anyone but its owner any access (a group or other permission bit), as
 * a copy or a restore from a backup may leave it: a token others could read is as good as
 * given away, so it is not used. Windows keeps no such bits (Node reports 0o666 for every
 * writable file there); the user's profile folder is what guards the file there.
 */
function openToOthers(file: string): boolean {
  if (process.platform === 'win32') return false;
  const st = statSync(file, { throwIfNoEntry: false });
  return st === undefined || (st.mode & 0o077) !== 0;
}

/**
 * The kept token, or a new one written there when there is none, it is not
 * in the form newToken() writes (a damaged or planted file is replaced), others
 * than its owner may read it, or `renew` asks for one. Fails only when a new
 * token cannot be saved.
 */
export function keptToken(dataDir: string, renew = false): Result<string> {
  const file = webTokenFileIn(dataDir);
  if (!renew) {
    // Not a regular file, over 64 bytes, or missing: replaced below.
    const read = readBoundedRegularFileSync(file, 64);
    const text = read.ok ? new TextDecoder().decode(read.value).trim() : '';
    if (TOKEN_FORM.test(text) && !openToOthers(file)) return ok(text);
  }
  const token = newToken();
  const saved = writeFileAtomic(file, `${token}\n`, { mode: 0o600, createFolder: true });
  return saved.ok ? ok(token) : saved;
}
