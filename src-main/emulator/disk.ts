/**
 * The emulated disk logical unit (SPC-5 / SBC-4 behaviour): its state, and
 * the dispatch of each CDB. Commands are recognised through the shared
 * catalog — its field layouts, length rules and reserved masks — so the
 * emulator reads a CDB exactly as lint and the editor describe it. Each
 * implemented command is one handler in handlers/ (HANDLERS, keyed by its
 * catalog name); vendor commands are answered from their sets'
 * declarations (vendor/).
 */
import {
  commandsForOpcode,
  opcodeOf,
  dataTransferOf,
  findCommand,
  layoutOf,
  reservedMask,
  type CommandSpec,
  type Direction,
  type FieldSpec,
} from '../../shared/scsi/catalog';
import type { CommandName } from '../../shared/scsi/catalog/commands';
import {
  fieldApplies,
  readField,
  reservedCode,
  zeroUnlessBroken,
} from '../../shared/scsi/catalog/fields';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { refusedControlField } from './examined-bits';
import { invalidFieldOf } from './field-pointer';
import type { Ctx } from './handlers/context';
import { handlerFor, ownDataPhase } from './handlers/index';
import { Microcode } from './microcode';
import { Nexuses, senseFields, type NexusKey, type SenseFields } from './nexus';
import type { Profile } from './profile';
import {
  check,
  invalidField,
  INVALID_OPCODE,
  BECOMING_READY,
  MEDIUM_NOT_PRESENT,
  type HandlerResult,
} from './responses';
import type { BlockStore } from './store';
import { bytesOf, NO_BYTES, type DataIn } from './data-in';
import { MediumError, mediumErrorResult } from './medium-error';
import { findVendorSet } from '../../shared/vendor-sets/registry';
import { MAX_COMMAND_DATA } from './limits';
import type { VendorDevice } from './vendor/device';
import { VendorEmulation } from './vendor/emulation';
import { DATA_BUFFER_SIZE } from './write-buffer';
import { SelfTestLog } from './self-tests';

export interface ScsiResult {
  readonly status: 'good' | 'check-condition';
  readonly dataIn: Uint8Array;
}

/** Commands a pending unit attention does not block (SPC-5, unit attention condition). */
const UA_EXEMPT: ReadonlySet<string> = new Set<CommandName>([
  'INQUIRY',
  'REQUEST SENSE',
  'REPORT LUNS',
]);
/**
 * Commands that reach the medium: with none loaded they end in NOT READY, MEDIUM NOT PRESENT
 * (02/3A/00; SPC-5, sense key NOT READY), before any block is read, written or unmapped.
 */
const MEDIUM_ACCESS: ReadonlySet<string> = new Set<CommandName>([
  'READ(6)',
  'READ(10)',
  'READ(12)',
  'READ(16)',
  'WRITE(6)',
  'WRITE(10)',
  'WRITE(12)',
  'WRITE(16)',
  'VERIFY(10)',
  'VERIFY(12)',
  'VERIFY(16)',
  'WRITE AND VERIFY(10)',
  'WRITE AND VERIFY(12)',
  'WRITE AND VERIFY(16)',
  'WRITE SAME(10)',
  'WRITE SAME(16)',
  'UNMAP',
  'GET LBA STATUS(16)',
  'READ CAPACITY(10)',
  'READ CAPACITY(16)',
  'SYNCHRONIZE CACHE(10)',
  'SYNCHRONIZE CACHE(16)',
  'TEST UNIT READY',
]);

/** The mode parameters MODE SELECT may change. */
export interface ModeSettings {
  /** Caching page WCE (SBC-4). */
  readonly writeCacheEnabled: boolean;
  /** Control page D_SENSE (SPC-5). */
  readonly descriptorSense: boolean;
}

/** What a CDB moves, as the Bulk-Only device needs it before the data phase (`DiskLu.plan`). */
export interface DataPlan {
  readonly direction: Direction;
  readonly bytes: number;
  /**
   * `bytes` is an ALLOCATION LENGTH: the most the host will take, not what the device must move
   * (SPC-5 4.2.5.6). The answer is the size the device has, so it bounds nothing here.
   */
  readonly upTo?: true;
}

/** Their values at power-on: what MODE SENSE returns as default values (PC=10b, SPC-5). */
export const MODE_DEFAULTS: ModeSettings = { writeCacheEnabled: true, descriptorSense: false };

export class DiskLu implements VendorDevice {
  readonly microcode: Microcode;
  readonly dataBuffer = new Uint8Array(DATA_BUFFER_SIZE);
  /** The vendor sets the unit speaks: the profile's built-in ones, then the extra ones it was given. */
  private readonly vendor: VendorEmulation;
  private readonly nexus = new Nexuses();
  private readonly eventListeners: ((line: string) => void)[] = [];
  mediumPresent: boolean;
  /** needsTestUnitReady quirk: medium access waits for a TEST UNIT READY after power-on. */
  private awaitingTur: boolean;
  preventRemoval = false;
  /** Self-tests SEND DIAGNOSTIC ran, for the self-test results log page. */
  readonly selfTests = new SelfTestLog();
  /** When the unit was made: its ACCUMULATED POWER ON HOURS count from here. */
  private readonly poweredOnAt = Date.now();
  writeCacheEnabled = MODE_DEFAULTS.writeCacheEnabled;
  descriptorSense = MODE_DEFAULTS.descriptorSense;

  /**
   * @param lunCount how many logical units the target has (REPORT LUNS lists them)
   * @param vendorSets sets the unit speaks besides the built-in ones its profile names
   * @param maxCommandData the most data one command moves (limits.ts): Block Limits reports it
   *   as MAXIMUM TRANSFER LENGTH, the block commands and the Bulk-Only device enforce it
   */
  constructor(
    readonly profile: Profile,
    readonly store: BlockStore,
    readonly lunCount = 1,
    vendorSets: readonly VendorSet[] = [],
    readonly maxCommandData = MAX_COMMAND_DATA,
  ) {
    this.microcode = new Microcode(profile.inquiry.revision);
    this.mediumPresent = profile.mediumPresent || !profile.inquiry.removable;
    this.awaitingTur = profile.quirks.needsTestUnitReady;
    const sets = [...profile.vendorSets.flatMap((n) => findVendorSet(n) ?? []), ...vendorSets];
    this.vendor = new VendorEmulation(sets, this, profile.blockSize);
  }

  /** Whole hours since the unit was made (SPC-5's ACCUMULATED POWER ON HOURS). */
  get powerOnHours(): number {
    return Math.floor((Date.now() - this.poweredOnAt) / 3_600_000);
  }

  /** The layout this device reads CDBs with: SPC-2 layouts on an SPC-2 device. */
  layoutFor(spec: CommandSpec): ReturnType<typeof layoutOf> {
    return this.profile.inquiry.version <= 0x04 ? layoutOf(spec, 'SPC-2') : layoutOf(spec);
  }

  /** What the device wants to move for this CDB — BOT needs it before the data phase. */
  plan(cdb: Uint8Array): DataPlan {
    const vendor = this.vendorCommand(cdb)?.spec;
    const spec = vendor ?? findCommand(cdb);
    if (!spec || (!vendor && !handlerFor(spec, this.profile)) || cdb.length < spec.cdbLength)
      return { direction: 'none', bytes: 0 };
    const own = vendor ? undefined : ownDataPhase(spec, this.profile, cdb);
    if (own) return own;
    const t = dataTransferOf(
      cdb,
      vendor ? layoutOf(spec) : this.layoutFor(spec),
      this.profile.blockSize,
    );
    if (t.direction === 'none' || t.bytes === undefined) return { direction: 'none', bytes: 0 };
    return t.phase.rule?.kind === 'allocation'
      ? { direction: t.direction, bytes: t.bytes, upTo: true }
      : { direction: t.direction, bytes: t.bytes };
  }

  takeSense(): SenseFields | undefined {
    return this.nexus.takeSense();
  }

  /**
   * State a command keeps between CDBs for the nexus the current command
   * came from (nexus.ts, `NexusKey`): only valid while a command runs.
   */
  nexusLocal<T>(key: NexusKey<T>): T {
    return this.nexus.local(key);
  }

  takeUnitAttention(): SenseFields | undefined {
    const ua = this.nexus.takeUnitAttention();
    return ua && senseFields(ua);
  }

  /** MODE SELECT changed parameters: the other nexuses get UNIT ATTENTION 06/2A/01 MODE PARAMETERS CHANGED (SPC-5). */
  modeParametersChanged(): void {
    this.note('mode parameters changed');
    this.nexus.attention(check(0x06, 0x2a, 0x01), true);
  }

  /** An event of the drive, for whoever keeps a log of them (a vendor set's event log). */
  note(line: string): void {
    for (const l of this.eventListeners) l(line);
  }

  onEvent(listener: (line: string) => void): void {
    this.eventListeners.push(listener);
  }

  /** New microcode is running: the next command gets UNIT ATTENTION 3Fh/01h MICROCODE HAS BEEN CHANGED. */
  microcodeChanged(revision: string): void {
    this.note(`microcode ${revision} activated`);
    this.nexus.attention(check(0x06, 0x3f, 0x01), false);
  }

  /** A power-on or bus reset: the next command gets UNIT ATTENTION 06/29/00. */
  powerOnReset(): void {
    this.nexus.reset();
    this.awaitingTur = this.profile.quirks.needsTestUnitReady;
  }

  /** The vendor command this CDB selects, if the unit speaks its set and no bridge filters it. */
  private vendorCommand(cdb: Uint8Array): ReturnType<VendorEmulation['find']> {
    return this.profile.quirks.rejectVendorOpcodes ? undefined : this.vendor.find(cdb);
  }

  /** Runs one command for `initiator` (one per host connection). */
  async execute(
    cdb: Uint8Array,
    dataOut: Uint8Array = new Uint8Array(),
    initiator = 'host',
  ): Promise<ScsiResult> {
    const r = await this.executeForTransfer(cdb, dataOut, initiator);
    try {
      return { status: r.status, dataIn: bytesOf(r.dataIn) };
    } catch (e) {
      if (!(e instanceof MediumError)) throw e;
      this.failedTransfer(e, initiator);
      return { status: 'check-condition', dataIn: new Uint8Array() };
    }
  }

  /**
   * A READ's blocks could not be read when the host took them (data-in.ts): the command that
   * answered GOOD failed after all, and the next REQUEST SENSE from `initiator` says why.
   */
  failedTransfer(e: MediumError, initiator: string): void {
    this.nexus.select(initiator);
    this.nexus.keepSense(mediumErrorResult(e));
    this.note(e.message);
  }

  /**
   * The same, for a transport that moves the data-in itself (the Bulk-Only device): a READ's
   * blocks stay in the store until it sends them (data-in.ts).
   */
  async executeForTransfer(
    cdb: Uint8Array,
    dataOut: Uint8Array,
    initiator: string,
  ): Promise<{ readonly status: ScsiResult['status']; readonly dataIn: DataIn }> {
    this.nexus.select(initiator);
    const result = await this.dispatch(cdb, dataOut).catch((e: unknown) => {
      // A store's I/O error is the medium's (medium-error.ts); anything else is a bug of ours.
      if (!(e instanceof MediumError)) throw e;
      this.note(e.message);
      return mediumErrorResult(e);
    });
    if (result.kind === 'good') return { status: 'good', dataIn: result.data };
    this.nexus.keepSense(result);
    return { status: 'check-condition', dataIn: result.data ?? NO_BYTES };
  }

  private async dispatch(cdb: Uint8Array, dataOut: Uint8Array): Promise<HandlerResult> {
    const spec = cdb.length > 0 ? findCommand(cdb) : undefined;
    const handler = spec ? handlerFor(spec, this.profile) : undefined;
    // A pending unit attention ends any command but the three SPC-5 exempts, implemented or not.
    if (this.nexus.pendingAttention() && !UA_EXEMPT.has(spec?.name ?? '')) {
      const ua = this.nexus.takeUnitAttention();
      if (ua) return ua;
    }
    const vendor = this.vendorCommand(cdb);
    if (vendor)
      return cdb.length < vendor.spec.cdbLength
        ? INVALID_OPCODE
        : this.vendor.answer(vendor, cdb, dataOut);
    if (!handler) return unsupportedServiceAction(cdb, this.profile) ?? INVALID_OPCODE;
    if (!spec || cdb.length < spec.cdbLength) return INVALID_OPCODE;
    const layout = this.layoutFor(spec);
    if (this.profile.quirks.spc2Strict) {
      for (let i = 1; i < spec.cdbLength; i++) {
        // A reserved bit set: the pointer names the byte and its highest offending bit (SPC-5, field pointer).
        const bad = reservedMask(layout.fields, i) & (cdb[i] as number);
        if (bad) return invalidField(i, 31 - Math.clz32(bad));
      }
    }
    // NACA=1 and LINK=1 are refused (examined-bits.ts, which REPORT SUPPORTED OPERATION CODES reads too).
    const control = refusedControlField(cdb, layout);
    if (control) return invalidFieldOf(layout, control);
    // A reserved code in a defined field (VERIFY's BYTCHK 10b, POWER CONDITION Fh): SPC-5, reserved.
    // Only an enumerated field can hold a reserved code: the others are not read on this path,
    // which every command takes (TEST UNIT READY's rate is a target of issue 13).
    const reserved = layout.fields.find(
      (f) =>
        f.values !== undefined &&
        fieldApplies(cdb, layout.fields, f) &&
        reservedCode(f, Number(readField(cdb, f))),
    );
    if (reserved) return invalidFieldOf(layout, reserved.key);
    // A field the layout allows only with another set (INQUIRY's PAGE CODE without EVPD, SPC-5).
    const [broken] = zeroUnlessBroken(cdb, layout.fields);
    if (broken) return invalidFieldOf({ fields: layout.fields }, broken.field.key);
    if (spec.name === 'TEST UNIT READY') this.awaitingTur = false;
    else if (this.awaitingTur && MEDIUM_ACCESS.has(spec.name)) return BECOMING_READY;
    if (MEDIUM_ACCESS.has(spec.name) && !this.mediumPresent) return MEDIUM_NOT_PRESENT;
    return handler(this, contextOf(cdb, spec, layout.fields, dataOut));
  }
}

/**
 * A service action the drive lacks of an operation code it implements some
 * service action of (SERVICE ACTION IN(16) 9Eh, MAINTENANCE IN A3h…): the
 * operation code is supported, so this is ILLEGAL REQUEST, INVALID FIELD IN
 * CDB (05/24/00) pointing at the SERVICE ACTION field, not INVALID COMMAND
 * OPERATION CODE (SPC-5, operation code; field pointer sense key specific
 * data). Undefined when no service action of the opcode is implemented.
 */
function unsupportedServiceAction(cdb: Uint8Array, profile: Profile): HandlerResult | undefined {
  const sibling = commandsForOpcode(opcodeOf(cdb)).find(
    (c) => c.serviceActionField !== undefined && handlerFor(c, profile) !== undefined,
  );
  if (!sibling?.serviceActionField) return undefined;
  const field = sibling.fields.find((f) => f.key === sibling.serviceActionField);
  return field && cdb.length > field.byte ? invalidFieldOf(sibling, field.key) : undefined;
}

/** Field look-up by key, built once per layout (the catalog is frozen, so layouts never change). */
const FIELD_MAPS = new WeakMap<readonly FieldSpec[], ReadonlyMap<string, FieldSpec>>();
function fieldsByKey(fields: readonly FieldSpec[]): ReadonlyMap<string, FieldSpec> {
  let m = FIELD_MAPS.get(fields);
  if (!m) {
    m = new Map(fields.map((f) => [f.key, f]));
    FIELD_MAPS.set(fields, m);
  }
  return m;
}

function contextOf(
  cdb: Uint8Array,
  spec: CommandSpec,
  fields: readonly FieldSpec[],
  dataOut: Uint8Array,
): Ctx {
  const byKey = fieldsByKey(fields);
  const getBig = (key: string): bigint => {
    const f = byKey.get(key);
    return f ? readField(cdb, f) : 0n;
  };
  return {
    cdb,
    spec,
    fields,
    dataOut,
    get: (key) => Number(getBig(key)),
    getBig,
    optional: (key) => {
      const f = byKey.get(key);
      return f ? Number(readField(cdb, f)) : undefined;
    },
    invalid: (key) => invalidFieldOf({ fields }, key),
  };
}
