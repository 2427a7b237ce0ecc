/**
 * The editor's draft and the session's history, kept across a reload in the
 * window's sessionStorage (or any Storage the caller passes), bounded:
 *
 * - the draft whole: the hex row as typed, data phase, LUN, device and
 *   image, and data-out up to MAX_KEPT_DATA_OUT bytes (a larger one is not
 *   kept, and Send refuses until it is loaded again rather than send zeros);
 * - the newest MAX_KEPT_ENTRIES history entries, each with its CDB, data
 *   phase, status, sense and residue whole, but only the first
 *   MAX_KEPT_ENTRY_DATA bytes of its data-in and its data-out only when no
 *   longer than that (the entry says what was cut; a cut data-out cannot be
 *   re-run);
 * - at most MAX_SESSION_TEXT characters in all: the oldest entries go first.
 */
import { z } from 'zod';
import { toWireOutcome, fromWireOutcome } from '../../shared/ipc/outcome';
import { TRANSPORT_ERROR_KINDS } from '../../shared/ipc/outcome';
import { formatHex, parseHex } from '../../shared/scsi/hex';
import type { DevicesSlice } from './devices';
import type { EditorSlice } from './editor';
import type { HistoryEntry, HistorySlice } from './history';

export const SESSION_KEY = 'usbcdb.session.v1';
export const MAX_SESSION_TEXT = 256 * 1024;
export const MAX_KEPT_ENTRIES = 100;
export const MAX_KEPT_ENTRY_DATA = 512;
export const MAX_KEPT_DATA_OUT = 16 * 1024;

/** What a session needs of the store. */
export type SessionState = Pick<
  EditorSlice,
  'hexText' | 'direction' | 'transferLength' | 'dataOut' | 'dataOutSource'
> &
  Pick<DevicesSlice, 'device' | 'image' | 'lun'> &
  Pick<HistorySlice, 'history'>;

/** The storage the session lives in: sessionStorage in the window, a Map-backed one in tests. */
export type SessionStorageLike = Pick<Storage, 'getItem' | 'setItem'>;

const direction = z.enum(['none', 'in', 'out']);
const hex = z.string().max(4 * MAX_KEPT_DATA_OUT);
const SavedEntry = z.object({
  time: z.string().max(40),
  device: z.string().max(300),
  cdb: hex,
  direction,
  transferLength: z.number().int().min(0),
  lun: z.number().int().min(0).max(15),
  dataOut: hex.optional(),
  status: z.number().int().nullable(),
  transportError: z
    .object({ kind: z.enum(TRANSPORT_ERROR_KINDS), message: z.string().max(2000) })
    .nullable(),
  dataIn: hex,
  sense: hex.nullable(),
  residue: z.number().int().min(0),
  cswStatus: z.number().int().nullable(),
  durationMs: z.number().min(0),
  kept: z.string().max(300).optional(),
});
const SavedSession = z.object({
  usbcdbSession: z.literal(1),
  draft: z.object({
    hexText: z.string().max(1000),
    direction,
    transferLength: z.number().int().min(0),
    lun: z.number().int().min(0).max(15),
    device: z.string().max(300).optional(),
    image: z.string().max(300),
    dataOut: hex.optional(),
    dataOutSource: z.string().max(300).optional(),
    /** Set when the draft's data-out was too large to keep: what it was. */
    dataOutLost: z.string().max(300).optional(),
  }),
  history: z.array(SavedEntry).max(MAX_KEPT_ENTRIES),
});
type SavedEntry = z.infer<typeof SavedEntry>;

function savedEntry(h: HistoryEntry): SavedEntry {
  const o = fromWireOutcome(h.outcome);
  const cut: string[] = [];
  if (o.dataIn.length > MAX_KEPT_ENTRY_DATA)
    cut.push(`data-in: first ${MAX_KEPT_ENTRY_DATA} of ${o.dataIn.length} bytes kept`);
  const keepOut = h.dataOut !== undefined && h.dataOut.length <= MAX_KEPT_ENTRY_DATA;
  if (h.dataOut !== undefined && !keepOut)
    cut.push(`data-out of ${h.dataOut.length} bytes not kept`);
  const kept = [h.kept, ...cut].filter((x) => x !== undefined).join('; ');
  return {
    time: h.time,
    device: h.device,
    cdb: formatHex(h.cdb),
    direction: h.direction,
    transferLength: h.transferLength,
    lun: h.lun,
    ...(keepOut && h.dataOut ? { dataOut: formatHex(h.dataOut) } : {}),
    status: o.status ?? null,
    transportError: o.transportError ?? null,
    dataIn: formatHex(o.dataIn.subarray(0, MAX_KEPT_ENTRY_DATA)),
    sense: o.sense ? formatHex(o.sense) : null,
    residue: o.residue,
    cswStatus: o.cswStatus ?? null,
    durationMs: o.durationMs,
    ...(kept !== '' ? { kept } : {}),
  };
}

const bytes = (text: string): Uint8Array => {
  const r = parseHex(text);
  return r.ok ? r.value : new Uint8Array();
};

function restoredEntry(e: SavedEntry): HistoryEntry {
  return {
    time: e.time,
    device: e.device,
    cdb: bytes(e.cdb),
    direction: e.direction,
    transferLength: e.transferLength,
    lun: e.lun,
    dataOut: e.dataOut !== undefined ? bytes(e.dataOut) : undefined,
    outcome: toWireOutcome({
      status: e.status ?? undefined,
      ...(e.transportError ? { transportError: e.transportError } : {}),
      dataIn: bytes(e.dataIn),
      ...(e.sense !== null ? { sense: bytes(e.sense) } : {}),
      residue: e.residue,
      ...(e.cswStatus !== null ? { cswStatus: e.cswStatus } : {}),
      durationMs: e.durationMs,
    }),
    ...(e.kept !== undefined ? { kept: e.kept } : {}),
  };
}

/** The session as the text kept in storage, at most MAX_SESSION_TEXT characters. */
export function sessionText(s: SessionState, dataOutLost?: string): string {
  const keepOut = s.dataOut !== undefined && s.dataOut.length <= MAX_KEPT_DATA_OUT;
  const lost =
    s.dataOut !== undefined && !keepOut
      ? `${s.dataOutSource ?? 'data-out'}, ${s.dataOut.length} bytes`
      : dataOutLost;
  const draft = {
    hexText: s.hexText.slice(0, 1000),
    direction: s.direction,
    transferLength: s.transferLength,
    lun: s.lun,
    ...(s.device !== undefined ? { device: s.device } : {}),
    image: s.image,
    ...(keepOut && s.dataOut ? { dataOut: formatHex(s.dataOut) } : {}),
    ...(s.dataOutSource !== undefined && keepOut ? { dataOutSource: s.dataOutSource } : {}),
    ...(lost !== undefined ? { dataOutLost: lost } : {}),
  };
  let history = s.history.slice(-MAX_KEPT_ENTRIES).map(savedEntry);
  let text = JSON.stringify({ usbcdbSession: 1, draft, history });
  while (text.length > MAX_SESSION_TEXT && history.length > 0) {
    history = history.slice(Math.ceil(history.length / 4));
    text = JSON.stringify({ usbcdbSession: 1, draft, history });
  }
  return text;
}

/** What a reload gets back: the draft and the history, or undefined for no or unreadable text. */
export interface RestoredSession {
  readonly draft: {
    readonly hexText: string;
    readonly direction: EditorSlice['direction'];
    readonly transferLength: number;
    readonly lun: number;
    readonly device: string | undefined;
    readonly image: string;
    readonly dataOut: Uint8Array | undefined;
    readonly dataOutSource: string | undefined;
    readonly dataOutLost: string | undefined;
  };
  readonly history: readonly HistoryEntry[];
}

export function restoreSession(text: string | null): RestoredSession | undefined {
  if (text === null || text.length > MAX_SESSION_TEXT) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = SavedSession.safeParse(data);
  if (!r.success) return undefined;
  const d = r.data.draft;
  return {
    draft: {
      hexText: d.hexText,
      direction: d.direction,
      transferLength: d.transferLength,
      lun: d.lun,
      device: d.device,
      image: d.image,
      dataOut: d.dataOut !== undefined ? bytes(d.dataOut) : undefined,
      dataOutSource: d.dataOutSource,
      dataOutLost: d.dataOutLost,
    },
    history: r.data.history.map(restoredEntry),
  };
}
