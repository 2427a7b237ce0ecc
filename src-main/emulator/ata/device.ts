/**
 * The emulated ATA SSD (ACS-4): the commands it implements, one row each,
 * and the device that runs them over the drive's block store. Every other
 * command ends in ABORT (ACS-4, command aborted: ERROR bit 2, STATUS ERR).
 */
import type { AtaProfile } from '../profile';
import type { BlockStore } from '../store';
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

export interface AtaCommandSpec {
  readonly name: string;
  readonly code: number;
  /** SMART's subcommand in FEATURES (ACS-4, SMART feature set), for B0h rows. */
  readonly feature?: number;
  readonly transfer: AtaTransfer;
  /** Bytes of data the command moves for these inputs (0 without data). */
  bytes(inputs: AtaInputs, sectorSize: number): number;
  run(device: AtaDevice, inputs: AtaInputs): Promise<AtaResult>;
}

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

function readRow(name: string, code: number, lba48: boolean): AtaCommandSpec {
  return {
    name,
    code,
    transfer: 'in',
    bytes: (inputs, sectorSize) => sectorCount(inputs) * sectorSize,
    run: async (device, inputs) => {
      const lba = addressOf(inputs, lba48);
      const n = sectorCount(inputs);
      // Past the last sector: ID NOT FOUND, the LBA of the first bad sector (ACS-4, READ SECTOR(S) error outputs).
      if (lba + BigInt(n) > BigInt(device.geometry.sectors))
        return aborted(inputs, ERROR_IDNF, lba);
      return done(inputs, await device.store.read(Number(lba), n));
    },
  };
}

/** One 512-byte page, read-only, with no further inputs. */
function pageRow(
  name: string,
  code: number,
  feature: number | undefined,
  page: (device: AtaDevice) => Uint8Array,
): AtaCommandSpec {
  return {
    name,
    code,
    ...(feature !== undefined ? { feature } : {}),
    transfer: 'in',
    bytes: () => PAGE,
    run: (device, inputs) => Promise.resolve(done(inputs, page(device))),
  };
}

/**
 * A log read: log address in LBA 7:0, COUNT pages. READ LOG EXT takes the
 * first page from LBA 15:8 and 47:32; SMART READ LOG has its signature there
 * and always starts at page 0 (ACS-4, READ LOG EXT and SMART READ LOG).
 */
function logRow(name: string, code: number, feature: number | undefined): AtaCommandSpec {
  const smart = feature !== undefined;
  return {
    name,
    code,
    ...(smart ? { feature } : {}),
    transfer: 'in',
    bytes: (inputs) => inputs.count * PAGE,
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

/** The implemented commands (ACS-4 names and codes). */
export const ATA_COMMANDS: readonly AtaCommandSpec[] = [
  readRow('READ SECTOR(S)', 0x20, false),
  readRow('READ SECTOR(S) EXT', 0x24, true),
  readRow('READ DMA EXT', 0x25, true),
  logRow('READ LOG EXT', 0x2f, undefined),
  pageRow('SMART READ DATA', 0xb0, 0xd0, (d) => smartData(d.profile.attributes)),
  pageRow('SMART READ THRESHOLDS', 0xb0, 0xd1, (d) => smartThresholds(d.profile.attributes)),
  logRow('SMART READ LOG', 0xb0, 0xd5),
  {
    name: 'SMART RETURN STATUS',
    code: 0xb0,
    feature: 0xda,
    transfer: 'none',
    bytes: () => 0,
    run: (device, inputs) =>
      Promise.resolve(
        done(inputs, undefined, {
          lba:
            (thresholdExceeded(device.profile.attributes) ? SMART_FAILING : SMART_SIGNATURE) << 8n,
        }),
      ),
  },
  readRow('READ DMA', 0xc8, false),
  {
    name: 'CHECK POWER MODE',
    code: 0xe5,
    transfer: 'none',
    bytes: () => 0,
    run: (_device, inputs) => Promise.resolve(done(inputs, undefined, { count: ACTIVE_OR_IDLE })),
  },
  pageRow('IDENTIFY DEVICE', 0xec, undefined, (d) => identifyDevice(d.profile, d.geometry)),
];

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
