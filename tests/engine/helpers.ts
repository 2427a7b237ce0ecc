/** Shared helpers for the engine tests: hex CDBs, emulated drives, one-line sends, sense codes. */
import { parseHex } from '../../shared/scsi/hex';
import { decodeSense } from '../../shared/scsi/sense';
import type { Profile } from '../../src-main/emulator/profile';
import { findProfile } from '../../src-main/emulator/profiles';
import { EmulatedTransport } from '../../src-main/engine/emu';
import type { CommandOutcome, CommandRequest } from '../../src-main/engine/transport';

export function hex(t: string): Uint8Array {
  const r = parseHex(t);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export function profile(name: string): Profile {
  const p = findProfile(name);
  if (!p) throw new Error(`no profile ${name}`);
  return p;
}

export function emu(name: string): EmulatedTransport {
  return new EmulatedTransport(profile(name));
}

/** Sends a CDB (hex text or bytes); the direction follows from dataOut or transferLength. */
export function send(
  t: EmulatedTransport,
  cdb: string | Uint8Array,
  extra: Partial<CommandRequest> = {},
): Promise<CommandOutcome> {
  const n = extra.transferLength ?? 0;
  return t.execute({
    cdb: typeof cdb === 'string' ? hex(cdb) : cdb,
    lun: 0,
    direction: extra.dataOut ? 'out' : n > 0 ? 'in' : 'none',
    transferLength: n,
    timeoutMs: 5000,
    ...extra,
  });
}

/** "5/24/00" for a CHECK CONDITION's sense; undefined without sense. */
export function senseCodes(o: CommandOutcome): string | undefined {
  const s = o.sense ? decodeSense(o.sense) : undefined;
  const h = (n: number | undefined): string => (n ?? 0).toString(16).padStart(2, '0');
  return s?.ok
    ? `${s.value.senseKey.toString(16)}/${h(s.value.asc)}/${h(s.value.ascq)}`
    : undefined;
}
