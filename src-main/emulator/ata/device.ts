/**
 * The emulated ATA SSD (ACS-4): what it does for each ATA command it
 * implements, keyed by the command's name in the `sat` set's ATA
 * sub-catalog (shared/scsi/ata-commands.ts), which gives the code, the
 * SMART sub-command, the data direction and the block count; and the device
 * that runs them over the drive's block store. Every other command ends in
 * ABORT (ACS-4, command aborted: ERROR bit 2, STATUS ERR).
 */
import {
  ATA_COMMAND_NAMES,
  ataCommandNamed,
  type AtaCommandName,
  type AtaCommandRow,
} from '../../../shared/scsi/ata-commands';
import type { AtaProfile } from '../profile';
import type { BlockStore } from '../store';
import { asBlockCount, asLba } from '../../../shared/scsi/brand';
import { identifyDevice, type AtaGeometry } from './identify';
import {
  ERROR_ABRT,
  ERROR_IDNF,
  lba28,
  STATUS_ERR,
  STATUS_GOOD,
  type AtaInputs,
  type AtaOutputs,
} from './registers';
import { logDirectory, smartData, smartThresholds, thresholdExceeded } from './smart';

/** What a command moves: nothing, or data from the device. The drive implements no data-out command. */
export type AtaTransfer = 'none' | 'in';

export type AtaResult =
  | { readonly ok: true; readonly data: Uint8Array; readonly outputs: AtaOutputs }
  | { readonly ok: false; readonly outputs: AtaOutputs };

/** One implemented command: its sub-catalog row's facts, and what the drive does. */
export interface AtaCommandSpec {
  readonly name: AtaCommandName;
  readonly code: number;
  /** SMART's subcommand in FEATURES (ACS-4, SMART feature set), for B0h rows. */
  readonly feature?: number;
  readonly transfer: AtaTransfer;
  /** Bytes of data the command moves for these inputs (0 without data). */
  bytes(inputs: AtaInputs, sectorSize: number): number;
  run(device: AtaDevice, inputs: AtaInputs): Promise<AtaResult>;
}

/**
 * What the drive does for one command. `bytes` is needed only where the
 * row's block count does not say it: the row's fixed blocks, or COUNT, ×
 * 512 bytes otherwise.
 */
export interface AtaBehaviour {
  bytes?(inputs: AtaInputs, sectorSize: number): number;
  run(device: AtaDevice, inputs: AtaInputs): Promise<AtaResult>;
}

/** The implemented commands: a behaviour per sub-catalog name (a misspelt name does not compile). */
export type AtaBehaviourTable = { readonly [N in AtaCommandName]?: AtaBehaviour };

/** SMART commands carry C24Fh in LBA 23:8 (ACS-4, SMART feature set). */
const SMART_SIGNATURE = 0xc24fn;
/** SMART RETURN STATUS puts 2CF4h there when a threshold is exceeded. */
const SMART_FAILING = 0x2cf4n;
/** CHECK POWER MODE COUNT: FFh, PM0 Active or PM1 Idle (ACS-4, CHECK POWER MODE). */
const ACTIVE_OR_IDLE = 0xff;
const PAGE = 512;

function outputs(inputs: AtaInputs, o: Partial<AtaOutputs> = {}): AtaOutputs {
  return {
    extend: inputs.extend,
    error: 0,
    status: STATUS_GOOD,
    count: 0,
    lba: 0n,
    device: inputs.device,
    ...o,
  };
}

const done = (
  inputs: AtaInputs,
  data: Uint8Array = new Uint8Array(),
  o: Partial<AtaOutputs> = {},
): AtaResult => ({
  ok: true,
  data,
  outputs: outputs(inputs, o),
});

/** ABORT, or another error bit, with STATUS ERR (ACS-4, error outputs). */
export function aborted(inputs: AtaInputs, error = ERROR_ABRT, lba = 0n): AtaResult {
  return { ok: false, outputs: outputs(inputs, { error, status: STATUS_GOOD | STATUS_ERR, lba }) };
}

/** Sectors a read asks for: COUNT 0 means 256 (28-bit) or 65 536 (48-bit) (ACS-4, COUNT field). */
function sectorCount(inputs: AtaInputs): number {
  if (inputs.count !== 0) return inputs.count;
  return inputs.extend ? 65536 : 256;
}

/** The address of a read: 28-bit commands take LBA 27:24 from DEVICE. */
function addressOf(inputs: AtaInputs, lba48: boolean): bigint {
  return lba48 ? inputs.lba : lba28(inputs.lba, inputs.device);
}

function readSectors(lba48: boolean): AtaBehaviour {
  return {
    // Logical sectors, COUNT 0 meaning 256 or 65 536: not the row's 512-byte blocks.
    bytes: (inputs, sectorSize) => sectorCount(inputs) * sectorSize,
    run: async (device, inputs) => {
      const lba = addressOf(inputs, lba48);
      const n = sectorCount(inputs);
      // Past the last sector: ID NOT FOUND, the LBA of the first bad sector (ACS-4, READ SECTOR(S) error outputs).
      if (lba + BigInt(n) > BigInt(device.geometry.sectors))
        return aborted(inputs, ERROR_IDNF, lba);
      return done(inputs, await device.store.read(asLba(lba), asBlockCount(n)));
    },
  };
}

/** One page, read-only, with no further inputs. */
function onePage(make: (device: AtaDevice) => Uint8Array): AtaBehaviour {
  return { run: (device, inputs) => Promise.resolve(done(inputs, make(device))) };
}

/**
 * A log read: log address in LBA 7:0, COUNT pages. READ LOG EXT takes the
 * first page from LBA 15:8 and 47:32; SMART READ LOG has its signature there
 * and always starts at page 0 (ACS-4, READ LOG EXT and SMART READ LOG).
 */
function logRead(smart: boolean): AtaBehaviour {
  return {
    run: (_device, inputs) => {
      const address = Number(inputs.lba & 0xffn);
      const page = smart ? 0n : ((inputs.lba >> 8n) & 0xffn) | ((inputs.lba >> 24n) & 0xffff00n);
      // The directory is the one log the drive keeps, one page long (ACS-4: a log not supported, or read past its end, aborts).
      if (address !== 0x00 || page !== 0n || inputs.count !== 1)
        return Promise.resolve(aborted(inputs));
      return Promise.resolve(done(inputs, logDirectory()));
    },
  };
}

/** The implemented commands (ACS-4). */
export const ATA_BEHAVIOURS: AtaBehaviourTable = {
  'READ SECTOR(S)': readSectors(false),
  'READ SECTOR(S) EXT': readSectors(true),
  'READ DMA EXT': readSectors(true),
  'READ LOG EXT': logRead(false),
  'SMART READ DATA': onePage((d) => smartData(d.profile.attributes)),
  'SMART READ THRESHOLDS': onePage((d) => smartThresholds(d.profile.attributes)),
  'SMART READ LOG': logRead(true),
  'SMART RETURN STATUS': {
    run: (device, inputs) =>
      Promise.resolve(
        done(inputs, undefined, {
          lba:
            (thresholdExceeded(device.profile.attributes) ? SMART_FAILING : SMART_SIGNATURE) << 8n,
        }),
      ),
  },
  'READ DMA': readSectors(false),
  'CHECK POWER MODE': {
    run: (_device, inputs) => Promise.resolve(done(inputs, undefined, { count: ACTIVE_OR_IDLE })),
  },
  'IDENTIFY DEVICE': onePage((d) => identifyDevice(d.profile, d.geometry)),
};

/** The data direction of a row; the drive implements no data-out command. */
function transferOf(row: AtaCommandRow): AtaTransfer {
  if (row.protocol === 'non-data') return 'none';
  if (row.protocol === 'pio-in' || row.protocol === 'dma-in') return 'in';
  throw new Error(`the emulated drive implements no data-out command (${row.name})`);
}

/** Bytes a row moves: its fixed 512-byte blocks, or COUNT of them. */
function rowBytes(row: AtaCommandRow): (inputs: AtaInputs) => number {
  const blocks = row.blocks;
  return blocks === 'count' ? (inputs) => inputs.count * PAGE : () => blocks * PAGE;
}

/** A behaviour joined to its sub-catalog row: the command as the device finds and runs it. */
export function implementedCommand(name: AtaCommandName, behaviour: AtaBehaviour): AtaCommandSpec {
  const row = ataCommandNamed(name);
  return {
    name,
    code: row.code,
    ...(row.features !== undefined ? { feature: row.features } : {}),
    transfer: transferOf(row),
    bytes: behaviour.bytes ?? rowBytes(row),
    run: behaviour.run,
  };
}

/** The implemented commands, in the sub-catalog's order. */
export const ATA_COMMANDS: readonly AtaCommandSpec[] = ATA_COMMAND_NAMES.flatMap((name) => {
  const behaviour = ATA_BEHAVIOURS[name];
  return behaviour ? [implementedCommand(name, behaviour)] : [];
});

export class AtaDevice {
  readonly geometry: AtaGeometry;

  constructor(
    readonly profile: AtaProfile,
    readonly store: BlockStore,
  ) {
    this.geometry = { sectors: store.blocks, sectorSize: store.blockSize };
  }

  /** The row for these inputs; SMART rows also need the C24Fh signature in LBA 23:8. */
  find(inputs: AtaInputs): AtaCommandSpec | undefined {
    return ATA_COMMANDS.find(
      (c) =>
        c.code === inputs.command &&
        (c.feature === undefined ||
          ((inputs.features & 0xff) === c.feature &&
            ((inputs.lba >> 8n) & 0xffffn) === SMART_SIGNATURE)),
    );
  }

  /** Runs a command; one the drive does not implement is aborted. */
  execute(inputs: AtaInputs): Promise<AtaResult> {
    const spec = this.find(inputs);
    return spec ? spec.run(this, inputs) : Promise.resolve(aborted(inputs));
  }
}
