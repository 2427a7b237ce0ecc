/**
 * A crafted command in other people's formats: an sg_raw command line, a
 * DriverKit snippet that fills SCSIType00OutParameters correctly (the
 * constants from shared/doctor/driverkit.ts), and a JSON preset. Commands
 * are named through catalog/resolve.ts, so a vendor command of a set the
 * caller passes keeps its name.
 */
import { DATA_TRANSFER_DIRECTIONS, MEMORY_DIRECTIONS } from '../doctor/driverkit';
import { dataTransferOf, layoutOf, type Direction } from '../scsi/catalog';
import { resolveCommand } from '../scsi/catalog/resolve';
import type { VendorSet } from '../vendor-sets/model';
import { formatHex, hex2 } from '../scsi/hex';
import { printableText } from '../scsi/printable';
import { presetIdFor, presetsJson } from '../presets-file';

export interface CraftedCommand {
  readonly cdb: Uint8Array;
  readonly direction: Direction;
  readonly transferLength: number;
  readonly lun: number;
  readonly name?: string;
  /** The data-out bytes, when they are known (a JSON preset keeps them). */
  readonly dataOut?: Uint8Array | undefined;
  /** The device's logical block size, for lengths counted in blocks (default 512). */
  readonly blockSize?: number;
}

/**
 * What the DriverKit snippet may say about fRequestedByteCountOfTransfer
 * against the CDB's own length field: equal (naming the field), disagreeing
 * (with the CDB's number), or unknown (a command the catalog cannot measure).
 */
export function transferLengthNote(
  c: CraftedCommand,
  vendorSets: readonly VendorSet[] = [],
): string {
  const requested = c.direction === 'none' ? 0 : c.transferLength;
  const spec = resolveCommand(c.cdb, vendorSets)?.spec;
  if (!spec || c.cdb.length < spec.cdbLength)
    return "the catalog does not know this CDB's length field: make sure it asks for this many bytes";
  const t = dataTransferOf(c.cdb, layoutOf(spec), c.blockSize);
  if (t.bytes === undefined)
    return `${spec.name}'s parameter data states its length: make sure it is this many bytes`;
  const named = t.phase.field ? `${t.phase.field.name} (${t.bytes} bytes)` : `${t.bytes} bytes`;
  const agrees = t.bytes === requested && (t.bytes === 0 || t.direction === c.direction);
  if (agrees)
    return t.bytes === 0 ? 'no data phase, as the CDB says' : `equal to the CDB's ${named}`;
  return `DISAGREES with the CDB, which asks for ${t.bytes} bytes${t.bytes > 0 ? ` ${t.direction}` : ''}: fix the command first (usbcdb lint)`;
}

/** The command's name: given, else the catalog's or a vendor set's, else its opcode. */
function nameOf(c: CraftedCommand, vendorSets: readonly VendorSet[]): string {
  return (
    c.name ?? resolveCommand(c.cdb, vendorSets)?.spec.name ?? `opcode 0x${hex2(c.cdb[0] ?? 0)}`
  );
}

/**
 * A path as one word of a POSIX shell line: as it is when nothing in it is special to the shell,
 * else in single quotes, inside which nothing is (POSIX.1-2017 XCU 2.2.2), a quote written '\''.
 */
function shellWord(path: string): string {
  return /^[\w./:+-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}

/**
 * `sg_raw -r LEN DEVICE CDB…` for data-in, `-s LEN -i FILE` for data-out (sg3_utils sg_raw(8)).
 * No name or note of the command is written into the line: only numbers, hex and the two paths.
 */
export function sgRawCommand(
  c: CraftedCommand,
  device = '/dev/sg0',
  dataFile = 'data-out.bin',
): string {
  const phase =
    c.direction === 'in' && c.transferLength > 0
      ? ` -r ${c.transferLength}`
      : c.direction === 'out' && c.transferLength > 0
        ? ` -s ${c.transferLength} -i ${shellWord(dataFile)}`
        : '';
  return `sg_raw${phase} ${shellWord(device)} ${formatHex(c.cdb)}`;
}

const byDirection = (d: Direction): { memory: number; transfer: number } => ({
  memory: d === 'in' ? 1 : d === 'out' ? 2 : 0,
  transfer: d === 'in' ? 2 : d === 'out' ? 1 : 0,
});

/**
 * `text` as a C++ `//` comment. The text holds names from vendor sets and callers: a line break
 * in it would end the comment and make the rest code (C++ [lex.comment]), and a bidirectional
 * override would make the line display in another order than it compiles (CVE-2021-42574).
 */
const cppComment = (text: string): string => `// ${printableText(text)}`;

/**
 * What DriverKit's fCommandDescriptorBlock holds: a SCSICommandDescriptorBlock is UInt8[16], and
 * SetCommandCDB takes 16 bytes (Apple SCSIPeripheralsDriverKit, SCSIType00OutParameters).
 */
const DRIVERKIT_CDB_BYTES = 16;

/**
 * A C++ fragment for an IOUserSCSIPeripheralDeviceType00 subclass (Apple SCSIPeripheralsDriverKit:
 * UserSendCDB). A longer CDB (a variable-length 7Fh one) cannot be sent that way: cut to 16 bytes
 * it would be another command, so the fragment is an #error saying so instead.
 */
export function driverKitSnippet(c: CraftedCommand, vendorSets: readonly VendorSet[] = []): string {
  if (c.cdb.length > DRIVERKIT_CDB_BYTES)
    return [
      cppComment(`${nameOf(c, vendorSets)}: ${formatHex(c.cdb)} (${c.cdb.length}-byte CDB)`),
      `#error "this ${c.cdb.length}-byte CDB does not fit DriverKit's ${DRIVERKIT_CDB_BYTES}-byte SCSICommandDescriptorBlock: UserSendCDB cannot send it, and the first ${DRIVERKIT_CDB_BYTES} bytes alone are another command"`,
    ].join('\n');
  const padded = Array.from({ length: DRIVERKIT_CDB_BYTES }, (_, i) => `0x${hex2(c.cdb[i] ?? 0)}`);
  const dir = byDirection(c.direction !== 'none' && c.transferLength > 0 ? c.direction : 'none');
  const memory = MEMORY_DIRECTIONS.find((m) => m.value === dir.memory)?.name ?? '';
  const transfer = DATA_TRANSFER_DIRECTIONS.find((m) => m.value === dir.transfer)?.name ?? '';
  const name = nameOf(c, vendorSets);
  const requested = c.direction === 'none' ? 0 : c.transferLength;
  return [
    cppComment(
      `${name}: ${formatHex(c.cdb)} (${c.cdb.length}-byte CDB${requested > 0 ? `, ${requested} bytes ${c.direction}` : ', no data'})`,
    ),
    // Apple's SCSIDeviceOutParameters reference: fDataBufferAddr and fSenseBufferAddr are addresses
    // of buffers the dext creates, which the framework maps into the kernel; that they must be
    // IOBufferMemoryDescriptors is not documented, only what working dexts do.
    `// The buffers: Apple documents them as ones the dext creates; working dexts pass mapped IOBufferMemoryDescriptors, not stack arrays.`,
    'SCSIType00OutParameters command = {};',
    'SCSIType00InParameters response = {};',
    `SetCommandCDB(&command.fCommandDescriptorBlock, ${padded.join(', ')});`,
    `command.fLogicalUnitNumber = ${c.lun};`,
    'command.fTimeoutDuration = 10000; // milliseconds',
    `command.fRequestedByteCountOfTransfer = ${requested}; ${cppComment(transferLengthNote(c, vendorSets))}`,
    `command.fBufferDirection = ${memory}; // kIOMemoryDirection*, not kSCSIDataTransfer*`,
    `command.fDataTransferDirection = ${transfer};`,
    'command.fDataBufferAddr = dataAddress; // from the mapping of your data buffer',
    'memset(senseBuffer, 0, senseLength); // zero it: Apple does not document what the kernel leaves there when there is no sense',
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
 * Presets panel and `presets.import` read; its id is the one a preset without
 * an id gets (presetIdFor), so importing the same command twice replaces it.
 */
export function jsonPreset(c: CraftedCommand, vendorSets: readonly VendorSet[] = []): string {
  return presetsJson([
    {
      id: presetIdFor(c.cdb, nameOf(c, vendorSets)),
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
