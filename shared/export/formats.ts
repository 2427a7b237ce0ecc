/**
 * A crafted command in other people's formats: an sg_raw command line, a
 * DriverKit snippet that fills SCSIType00OutParameters correctly (the
 * constants from shared/doctor/driverkit.ts), and a JSON preset. Commands
 * are named through catalog/resolve.ts, so a vendor command of a set the
 * caller passes keeps its name.
 */
import { DATA_TRANSFER_DIRECTIONS, MEMORY_DIRECTIONS } from '../doctor/driverkit';
import type { Direction } from '../scsi/catalog';
import { resolveCommand } from '../scsi/catalog/resolve';
import type { VendorSet } from '../vendor-sets/model';
import { formatHex, hex2 } from '../scsi/hex';
import { presetsJson } from '../presets-file';

export interface CraftedCommand {
  readonly cdb: Uint8Array;
  readonly direction: Direction;
  readonly transferLength: number;
  readonly lun: number;
  readonly name?: string;
  /** The data-out bytes, when they are known (a JSON preset keeps them). */
  readonly dataOut?: Uint8Array | undefined;
}

/** The command's name: given, else the catalog's or a vendor set's, else its opcode. */
function nameOf(c: CraftedCommand, vendorSets: readonly VendorSet[]): string {
  return (
    c.name ?? resolveCommand(c.cdb, vendorSets)?.spec.name ?? `opcode 0x${hex2(c.cdb[0] ?? 0)}`
  );
}

/** `sg_raw -r LEN DEVICE CDB…` for data-in, `-s LEN -i FILE` for data-out (sg3_utils sg_raw(8)). */
export function sgRawCommand(
  c: CraftedCommand,
  device = '/dev/sg0',
  dataFile = 'data-out.bin',
): string {
  const phase =
    c.direction === 'in' && c.transferLength > 0
      ? ` -r ${c.transferLength}`
      : c.direction === 'out' && c.transferLength > 0
        ? ` -s ${c.transferLength} -i ${dataFile}`
        : '';
  return `sg_raw${phase} ${device} ${formatHex(c.cdb)}`;
}

const byDirection = (d: Direction): { memory: number; transfer: number } => ({
  memory: d === 'in' ? 1 : d === 'out' ? 2 : 0,
  transfer: d === 'in' ? 2 : d === 'out' ? 1 : 0,
});

/** A C++ fragment for an IOUserSCSIPeripheralDeviceType00 subclass (Apple SCSIPeripheralsDriverKit: UserSendCDB). */
export function driverKitSnippet(c: CraftedCommand, vendorSets: readonly VendorSet[] = []): string {
  const padded = Array.from({ length: 16 }, (_, i) => `0x${hex2(c.cdb[i] ?? 0)}`);
  const dir = byDirection(c.transferLength > 0 ? c.direction : 'none');
  const memory = MEMORY_DIRECTIONS.find((m) => m.value === dir.memory)?.name ?? '';
  const transfer = DATA_TRANSFER_DIRECTIONS.find((m) => m.value === dir.transfer)?.name ?? '';
  const name = nameOf(c, vendorSets);
  return [
    `// ${name}: ${formatHex(c.cdb)} (${c.cdb.length}-byte CDB${c.transferLength > 0 ? `, ${c.transferLength} bytes ${c.direction}` : ', no data'})`,
    `// The buffers must be mapped IOBufferMemoryDescriptors owned by the dext, not stack arrays.`,
    'SCSIType00OutParameters command = {};',
    'SCSIType00InParameters response = {};',
    `SetCommandCDB(&command.fCommandDescriptorBlock, ${padded.join(', ')});`,
    `command.fLogicalUnitNumber = ${c.lun};`,
    'command.fTimeoutDuration = 10000; // milliseconds',
    `command.fRequestedByteCountOfTransfer = ${c.direction === 'none' ? 0 : c.transferLength}; // equal to the CDB's length field`,
    `command.fBufferDirection = ${memory}; // kIOMemoryDirection*, not kSCSIDataTransfer*`,
    `command.fDataTransferDirection = ${transfer};`,
    'command.fDataBufferAddr = dataAddress; // from the mapping of your data buffer',
    'memset(senseBuffer, 0, senseLength); // zero it: the kernel leaves it alone when there is no sense',
    'command.fSenseBufferAddr = senseAddress;',
    'command.fSenseLengthRequested = senseLength; // 18–252',
    'kern_return_t kr = UserSendCDB(command, &response);',
    '// Read the sense only when the command really failed:',
    '// kr == KERN_SUCCESS && response.fServiceResponse == kSCSIServiceResponse_TASK_COMPLETE',
    '//   && response.fCompletionStatus == kSCSITaskStatus_CHECK_CONDITION',
  ].join('\n');
}

/**
 * The command as a presets file holding one preset, in the format the
 * Presets panel and `presets.import` read; its id is derived from the CDB so
 * importing the same command twice replaces rather than duplicates it.
 */
export function jsonPreset(c: CraftedCommand, vendorSets: readonly VendorSet[] = []): string {
  return presetsJson([
    {
      id: `cdb-${Array.from(c.cdb, hex2).join('')}`,
      name: nameOf(c, vendorSets),
      folder: '',
      cdb: formatHex(c.cdb),
      direction: c.direction,
      transferLength: c.direction === 'none' ? 0 : c.transferLength,
      ...(c.direction === 'out' && c.dataOut ? { dataOut: formatHex(c.dataOut) } : {}),
      lun: c.lun,
      notes: '',
    },
  ]);
}
