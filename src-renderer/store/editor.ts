/**
 * The editor slice: the command being crafted — CDB (as bytes and as the
 * hex row typed), the data phase the host sets up, and the data-out bytes.
 * It writes only its own fields; what it derives (lint, the command's spec,
 * the byte the sense points at) are selectors in selectors.ts.
 */
import type { StoreApi } from 'zustand';
import {
  dataTransferOf,
  layoutOf,
  type CommandSpec,
  type Direction,
} from '../../shared/scsi/catalog';
import { buildCdb, standardCdb } from '../../shared/scsi/cdb/build';
import { readField, writeField } from '../../shared/scsi/catalog/fields';
import { MAX_CDB_BYTES } from '../../shared/ipc/limits';
import { formatHex, parseHex } from '../../shared/scsi/hex';
import { resolveByName, resolveCommand } from '../../shared/scsi/catalog/resolve';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { selectBlockSize, selectLint, type BlockSizeSource, type LintSource } from './selectors';

/** A whole command for the editor to hold: from a preset, a history entry or a saved draft. */
export interface EditorCommand {
  readonly cdb: Uint8Array;
  readonly direction: Direction;
  readonly transferLength: number;
  readonly dataOut?: Uint8Array | undefined;
  /** Where the data-out came from, for the editor to say. */
  readonly dataOutSource?: string | undefined;
}

export interface EditorSlice {
  cdb: Uint8Array;
  /** The hex row as typed (may be mid-edit and invalid). */
  hexText: string;
  hexError: string | undefined;
  direction: Direction;
  transferLength: number;
  /** Data-out loaded from a file or typed as hex; without it a data-out command sends zeros. */
  dataOut: Uint8Array | undefined;
  /** Where the data-out came from ("typed hex" or a file name), for the editor to say. */
  dataOutSource: string | undefined;
  /**
   * A draft's data-out a reload did not keep (too large, session.ts): what it
   * was. Send refuses until data-out is loaded again or cleared.
   */
  dataOutLost: string | undefined;
  /** The data-out hex box as last committed (Enter, Ctrl+Enter, focus leaving it); empty for a file. */
  dataOutText: string;
  /**
   * Why `dataOutText` is not hex, naming the byte: `dataOut` keeps what it held, and Send refuses
   * while it stands, so neither the typed text nor the old bytes go out unseen.
   */
  dataOutError: string | undefined;
  /**
   * A value typed into a field that the CDB could not take, as typed: the field keeps showing
   * it beside the error, the CDB keeps what it held, and Send refuses while it stands. Any
   * change to the CDB drops it (the field then shows the CDB's value again).
   */
  fieldRefusal: FieldRefusal | undefined;
  setHex(text: string): void;
  /**
   * Sets data-out from hex text as typed (see dataOutError); empty text clears it. Direction
   * becomes out, the transfer length its size.
   */
  setDataOutHex(text: string): void;
  /** Sets data-out from a file's bytes: direction becomes out, the transfer length its size. */
  loadDataOut(bytes: Uint8Array, source: string): void;
  clearDataOut(): void;
  /**
   * Puts a catalog or vendor-set command in the editor with the data phase
   * its CDB asks for (blocks × the device's block size). A command that
   * moves blocks starts at one block, so picking READ(10) reads something.
   */
  chooseCommand(name: string): void;
  /**
   * Writes one field of the CDB (of the `standard`'s layout when given, e.g.
   * SPC-2); the error says its range. Editing the length field keeps the
   * data phase in step when it was in step before.
   */
  setField(key: string, value: bigint, standard?: string): string | undefined;
  /** Keeps (or, with undefined, drops) a value a field could not take; see fieldRefusal. */
  refuseField(refusal: FieldRefusal | undefined): void;
  setTransfer(direction: Direction, length: number): void;
  /** Puts the lint report's corrected CDB and data phase in the editor. */
  applyCorrected(): void;
  /** Replaces the whole command (a preset, a history entry, a restored draft). */
  loadCommand(c: EditorCommand): void;
}

/** A field's typed text the CDB did not take, and why. */
export interface FieldRefusal {
  readonly key: string;
  readonly name: string;
  readonly text: string;
  readonly message: string;
}

/** What the slice reads of the rest of the store: the vendor sets, the LUN, the block size's sources. */
type Host = LintSource & BlockSizeSource & { vendorSets: readonly VendorSet[] };

/** The data phase `cdb` asks for at `blockSize`, in bytes (none for an unknown command). */
export function phaseOf(
  cdb: Uint8Array,
  sets: readonly VendorSet[],
  blockSize: number,
): { direction: Direction; length: number } {
  const spec = resolveCommand(cdb, sets)?.spec;
  if (!spec || cdb.length < spec.cdbLength) return { direction: 'none', length: 0 };
  const t = dataTransferOf(cdb, layoutOf(spec), blockSize);
  return { direction: t.direction, length: t.bytes ?? 0 };
}

/** A freshly built CDB for `spec`: one block when its length counts blocks and it would move none. */
export function startingCdb(spec: CommandSpec): Uint8Array | undefined {
  const built = buildCdb(spec, {});
  if (!built.ok) return undefined;
  const cdb = built.value;
  const layout = layoutOf(spec);
  const t = dataTransferOf(cdb, layout);
  const rule = t.phase.rule;
  const field = layout.fields.find((f) => f.key === rule?.field);
  // A TRANSFER LENGTH of 0 moves nothing, or 256 blocks in READ(6)/WRITE(6) (SBC-4): start at one.
  if (
    rule &&
    rule.kind === 'transfer' &&
    rule.unit !== 'bytes' &&
    field &&
    readField(cdb, field) === 0n
  )
    writeField(cdb, field, 1n);
  return cdb;
}

export function editorSlice<S extends EditorSlice & Host>(
  set: StoreApi<S>['setState'],
  get: StoreApi<S>['getState'],
): EditorSlice {
  const put = (part: Partial<EditorSlice>): void => set(part as Partial<S>);
  const blockSize = (): number => selectBlockSize(get()).bytes;
  /** Data-out from `source`, the data phase set to carry it; the hex box's text and error dropped. */
  const dataOutFrom = (bytes: Uint8Array, source: string): Partial<EditorSlice> => ({
    dataOut: bytes,
    dataOutSource: source,
    dataOutLost: undefined,
    dataOutText: '',
    dataOutError: undefined,
    direction: 'out',
    transferLength: bytes.length,
  });
  const noDataOut = {
    dataOut: undefined,
    dataOutSource: undefined,
    dataOutLost: undefined,
    dataOutText: '',
    dataOutError: undefined,
  } as const;
  // The editor opens on the founding case's command as it should be written: INQUIRY for the
  // 36 bytes every device returns, its ALLOCATION LENGTH in byte 4 (SPC-2) or bytes 3–4 (SPC-3+).
  const first = standardCdb('inquiry', { allocationLength: 36 });
  return {
    cdb: first,
    hexText: formatHex(first),
    hexError: undefined,
    direction: 'in',
    transferLength: 36,
    dataOut: undefined,
    dataOutSource: undefined,
    dataOutLost: undefined,
    dataOutText: '',
    dataOutError: undefined,
    fieldRefusal: undefined,
    setDataOutHex(text) {
      const r = parseHex(text, 'data-out');
      if (!r.ok) put({ dataOutText: text, dataOutError: r.error.message });
      else if (r.value.length === 0) put(noDataOut);
      else put({ ...dataOutFrom(r.value, 'typed hex'), dataOutText: text });
    },
    loadDataOut: (bytes, source) => put(dataOutFrom(bytes, source)),
    clearDataOut: () => put(noDataOut),
    setHex(text) {
      const r = parseHex(text, 'CDB');
      if (!r.ok) put({ hexText: text, hexError: r.error.message });
      // Past the longest CDB nothing is laid out or linted: a pasted buffer would take the page down.
      else if (r.value.length > MAX_CDB_BYTES)
        put({
          hexText: text,
          hexError: `the CDB box holds ${r.value.length} bytes, more than the ${MAX_CDB_BYTES} of the longest CDB (SPC-5, variable-length CDB)`,
        });
      else put({ hexText: text, hexError: undefined, cdb: r.value, fieldRefusal: undefined });
    },
    chooseCommand(name) {
      const spec = resolveByName(name, get().vendorSets)?.spec;
      const cdb = spec && startingCdb(spec);
      if (!cdb) return;
      const p = phaseOf(cdb, get().vendorSets, blockSize());
      put({
        cdb,
        hexText: formatHex(cdb),
        hexError: undefined,
        direction: p.direction,
        transferLength: p.length,
        dataOutLost: undefined,
        fieldRefusal: undefined,
      });
    },
    setField(key, value, standard) {
      const { cdb, direction, transferLength, vendorSets } = get();
      const spec = resolveCommand(cdb, vendorSets)?.spec;
      if (!spec) return 'no catalog or vendor-set command for this opcode';
      const field = layoutOf(spec, standard).fields.find((f) => f.key === key);
      if (!field) return `no field ${key}`;
      const max = (1n << BigInt(field.width)) - 1n;
      if (value < 0n || value > max) return `${field.name} holds 0–${max}`;
      // Only this field changes; every other bit of the CDB, reserved ones included, stays as typed.
      const next = new Uint8Array(Math.max(cdb.length, spec.cdbLength));
      next.set(cdb);
      writeField(next, field, value);
      // The data phase follows the CDB only when it agreed with it before the edit, and only to
      // a command that is known: a field that tells vendor rows apart (a service action, an
      // admin opcode) may name none, and a CDB no row describes says nothing of its data phase.
      const size = blockSize();
      const before = phaseOf(cdb, vendorSets, size);
      const after = phaseOf(next, vendorSets, size);
      const inStep =
        before.length === (direction === 'none' ? 0 : transferLength) &&
        (before.length === 0 || before.direction === direction) &&
        resolveCommand(next, vendorSets) !== undefined;
      put({
        cdb: next,
        hexText: formatHex(next),
        hexError: undefined,
        fieldRefusal: undefined,
        ...(inStep ? { direction: after.direction, transferLength: after.length } : {}),
      });
      return undefined;
    },
    refuseField: (fieldRefusal) => put({ fieldRefusal }),
    setTransfer: (direction, length) =>
      put({
        direction,
        transferLength: Number.isFinite(length) && length > 0 ? Math.floor(length) : 0,
      }),
    applyCorrected() {
      const c = selectLint(get()).corrected;
      if (!c) return;
      put({
        cdb: c.cdb,
        hexText: formatHex(c.cdb),
        hexError: undefined,
        fieldRefusal: undefined,
        ...(c.transferLength !== undefined
          ? { direction: c.direction ?? get().direction, transferLength: c.transferLength }
          : {}),
      });
    },
    loadCommand: (c) =>
      put({
        cdb: c.cdb,
        hexText: formatHex(c.cdb),
        hexError: undefined,
        direction: c.direction,
        transferLength: c.transferLength,
        ...noDataOut,
        dataOut: c.dataOut,
        dataOutSource: c.dataOut ? c.dataOutSource : undefined,
        fieldRefusal: undefined,
      }),
  };
}
