/** Shared helpers for the engine tests: hex CDBs, emulated drives, one-line sends, sense codes. */
import { parseHex } from '../../shared/scsi/hex';
import { decodeSense } from '../../shared/scsi/sense';
import type { Profile } from '../../src-main/emulator/profile';
import { findProfile } from '../../src-main/emulator/profiles';
import { openDevice, type OpenOptions } from '../../src-main/engine/device-string';
import { EmulatedTransport } from '../../src-main/engine/emu';
import type { CommandOutcome, CommandRequest, Transport } from '../../src-main/engine/transport';

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

/**
 * `emu:<name>` opened as the app opens a device string, past its power-on unit
 * attention (one TEST UNIT READY takes it), so the next command meets the drive.
 */
export async function openReady(name: string, options: OpenOptions = {}): Promise<Transport> {
  const r = await openDevice(`emu:${name}`, options);
  if (!r.ok) throw new Error(r.error.message);
  await r.value.execute({
    cdb: new Uint8Array(6),
    lun: 0,
    direction: 'none',
    transferLength: 0,
    timeoutMs: 5000,
  });
  return r.value;
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

/** An emulated drive past its power-on unit attention (one TEST UNIT READY takes it). */
export async function readyEmu(name: string): Promise<EmulatedTransport> {
  const t = emu(name);
  await send(t, '00 00 00 00 00 00');
  return t;
}

/** The sense key specific data of a CHECK CONDITION's sense (a field pointer, for 05/24/00). */
export function senseSpecific(o: CommandOutcome): unknown {
  const s = o.sense ? decodeSense(o.sense) : undefined;
  return s?.ok ? s.value.senseKeySpecific : undefined;
}
