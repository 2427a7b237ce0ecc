/**
 * What to do about particular ASC/ASCQ codes, where the sense key's general
 * action is not specific enough. Keyed by ASC and ASCQ; a row without an ASCQ
 * serves the ASCQs that have no row of their own, so it must hold for every
 * ASCQ of its ASC. (In the spirit of FreeBSD CAM's asc_table: meaning + action.)
 */
import type { SenseAction } from './keys';

export interface AscAdvice {
  readonly asc: number;
  /** Omitted: any ASCQ. */
  readonly ascq?: number;
  readonly advice: string;
  /** What the code calls for when it is not what its sense key generally does. */
  readonly action?: SenseAction;
}

/**
 * NOT READY while an operation runs: the device server terminates most commands with it until
 * the operation ends, and with the progress indication in the sense-key specific bytes.
 */
const running = (operation: string, standard: string): string =>
  `${operation} is running: the device answers most commands with this sense until it ends (${standard}), and another command (START STOP UNIT included) will not end it sooner; the progress indication, when present, shows how far it has got.`;

/** The unrecovered read errors proper (11h/00h–04h, 0Ah, 0Bh): a retry is the only hope for the data. */
const UNREADABLE =
  'The device could not read the block (INFORMATION, when valid, is its LBA): a retry may succeed; if it does not, the data in that block is lost.';

export const ASC_ADVICE: readonly AscAdvice[] = [
  {
    asc: 0x04,
    ascq: 0x00,
    advice:
      'The unit does not say why it is not ready: if it stays so, a stopped disk may need START STOP UNIT with START=1.',
  },
  {
    asc: 0x04,
    ascq: 0x01,
    advice:
      'The unit is becoming ready (spinning up or loading): that usually takes seconds; TEST UNIT READY answers GOOD once it is.',
  },
  {
    asc: 0x04,
    ascq: 0x02,
    advice: 'The unit needs an initializing command: send START STOP UNIT with START=1.',
    action: 'retry',
  },
  {
    asc: 0x04,
    ascq: 0x03,
    advice:
      'A person must act on the device (a medium, a door, a switch, a fault it shows): neither waiting nor START STOP UNIT clears this.',
    action: 'fatal',
  },
  { asc: 0x04, ascq: 0x04, advice: running('A FORMAT UNIT', 'SBC-4') },
  { asc: 0x04, ascq: 0x09, advice: running('A self-test', 'SPC-5, SEND DIAGNOSTIC') },
  { asc: 0x04, ascq: 0x1a, advice: running('A START STOP UNIT', 'SBC-4') },
  { asc: 0x04, ascq: 0x1b, advice: running('A SANITIZE', 'SBC-4') },
  {
    asc: 0x04,
    ascq: 0x11,
    advice:
      'The unit waits for a NOTIFY (ENABLE SPINUP) primitive, which only a SAS initiator sends (SPL): behind a USB bridge nothing will send it, so waiting does not help.',
    action: 'fatal',
  },
  {
    asc: 0x04,
    ascq: 0x1e,
    advice:
      'New microcode is downloaded and waits to be activated (SPC-5, WRITE BUFFER): activate it (WRITE BUFFER mode 0Fh, or the activation the download asked for) or power-cycle the device.',
    action: 'fatal',
  },
  {
    asc: 0x04,
    ascq: 0x1f,
    advice:
      'The unit has no usable microcode: it needs a microcode download (WRITE BUFFER, SPC-5) before anything else.',
    action: 'fatal',
  },
  {
    asc: 0x04,
    ascq: 0x20,
    advice:
      'The unit asks for a logical unit reset: over USB, Bulk-Only reset recovery (BOT 1.0 §5.3.4) is the nearest; if it persists, power-cycle the device.',
    action: 'fatal',
  },
  {
    asc: 0x04,
    ascq: 0x21,
    advice:
      'The unit asks for a hard reset: over USB, reset the device (a USB port reset, or unplug it); waiting does not clear this.',
    action: 'fatal',
  },
  {
    asc: 0x04,
    ascq: 0x22,
    advice:
      'The unit asks for a power cycle: unplug it (and its power supply) and plug it back in; neither waiting nor a command clears this.',
    action: 'fatal',
  },
  {
    asc: 0x04,
    advice:
      'The ASCQ names why the unit is not ready; where it is an operation in progress, TEST UNIT READY answers GOOD once it ends.',
  },
  {
    asc: 0x20,
    ascq: 0x00,
    advice:
      'The device does not implement this operation code. For a vendor opcode, check the vendor documentation, and that the USB bridge is the one whose commands these are: the command reached the device (macOS is reported to refuse C0h–FFh before sending, with kIOReturnNotPrivileged rather than a sense).',
  },
  {
    asc: 0x21,
    ascq: 0x00,
    advice: 'The LBA (plus transfer length) is past the last block: check READ CAPACITY.',
  },
  {
    asc: 0x24,
    ascq: 0x00,
    advice:
      'A field of the CDB holds a value the device does not accept; the field pointer, when present, names it. Look for reserved bits and misplaced length fields.',
  },
  {
    asc: 0x25,
    ascq: 0x00,
    advice:
      'The LUN is not supported: address LUN 0, or ask Get Max LUN / REPORT LUNS which exist.',
  },
  {
    asc: 0x26,
    advice:
      'The parameter list (data-out) has a bad value; the field pointer, when present, names the byte in the parameter data.',
  },
  {
    asc: 0x27,
    ascq: 0x00,
    advice: 'The medium is write-protected: check the lock switch or the device settings.',
  },
  {
    asc: 0x27,
    ascq: 0x01,
    advice: 'A hardware write protect is on: check the lock switch on the medium or the device.',
  },
  {
    asc: 0x27,
    ascq: 0x02,
    advice:
      'The logical unit is write-protected by software (the SWP bit of the Control mode page, SPC-5, or a vendor setting), not by a switch: clear that setting to write.',
  },
  {
    asc: 0x27,
    ascq: 0x07,
    advice:
      'A thin-provisioned unit could not allocate space for the write (SBC-4): free some (UNMAP, or on the storage behind it) before writing again; no switch is involved.',
  },
  {
    asc: 0x27,
    ascq: 0x08,
    advice: 'The zone is read-only (ZBC): writes to it keep failing; write to another zone.',
  },
  {
    asc: 0x27,
    advice: 'The unit refuses writes: the ASCQ names the write protection in force.',
  },
  {
    asc: 0x28,
    advice: 'The medium may have changed: re-read capacity and identity before continuing.',
  },
  {
    asc: 0x29,
    advice:
      'A power-on or reset happened: retry the command; the first command after a reset gets this unit attention once.',
  },
  {
    asc: 0x2a,
    advice:
      'Parameters (mode pages, capacity) were changed, possibly by another initiator: re-read them and retry.',
  },
  {
    asc: 0x3a,
    advice: 'There is no medium: insert one (card readers report this for an empty slot).',
  },
  {
    asc: 0x3f,
    ascq: 0x01,
    advice: 'New microcode was activated: re-read INQUIRY before continuing.',
  },
  {
    asc: 0x1a,
    advice:
      'The parameter list length does not match the data: make the CDB length field and the data-out size agree.',
  },
  ...[0x00, 0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b].map((ascq) => ({
    asc: 0x11,
    ascq,
    advice: UNREADABLE,
  })),
  {
    asc: 0x11,
    ascq: 0x0c,
    advice:
      'The device could not read the block and recommends writing its data again: rewrite it from a copy; reading it again will not help.',
  },
  {
    asc: 0x11,
    ascq: 0x14,
    advice:
      'An application client marked this block bad on purpose (as WRITE LONG with WR_UNCOR does, SBC-4): reading it fails the same way until the block is written.',
    action: 'fix-command',
  },
  {
    asc: 0x11,
    ascq: 0x15,
    advice:
      'After a sanitize, this block must be written before it can be read: the block is not bad, and reading it again fails the same way; write it.',
    action: 'fix-command',
  },
  {
    asc: 0x0c,
    ascq: 0x00,
    advice:
      'The write did not complete: retry it once; if it fails again, the block cannot be written.',
  },
  {
    asc: 0x0c,
    ascq: 0x01,
    advice:
      'The write succeeded after the device moved the block to a spare (auto reallocation): the data is written.',
  },
  {
    asc: 0x0c,
    ascq: 0x02,
    advice: 'The write failed and the device could not move the block to a spare.',
  },
  ...[0x0c, 0x0d].map((ascq) => ({
    asc: 0x0c,
    ascq,
    advice:
      'The data-out delivered did not match what the command asked for: a transport condition, not the medium; make the data-out length agree with the CDB.',
    action: 'check-transport' as const,
  })),
];

/** The command the sense answers, as far as the advice needs it (a catalog row). */
export interface AdvisedCommand {
  readonly name: string;
  readonly standard: string;
  readonly support?: 'mandatory' | 'optional' | 'obsolete';
  /** Its operation code: C0h–FFh are vendor specific (SPC-5), whatever a set declares. */
  readonly opcode?: number;
  /** Set on a vendor set's command that reuses a standard opcode (catalog/types.ts): a vendor's. */
  readonly standardRangeOpcode?: string;
}

/**
 * Why a mandatory command cannot be refused as an unknown opcode: its standard requires every
 * device server of that type to implement it (SPC-5 for INQUIRY, TEST UNIT READY, REQUEST SENSE,
 * REPORT LUNS). Undefined for any other command.
 */
export function mandatoryOpcodeFact(command: AdvisedCommand | undefined): string | undefined {
  if (command?.support !== 'mandatory') return undefined;
  // SBC's mandatory commands are mandatory for its device type only (a USB disk is one).
  const forType = command.standard.startsWith('SBC') ? ' for a direct-access block device' : '';
  return `${command.name} is mandatory${forType} (${command.standard}), so no conforming device${forType ? ' of that type' : ''} answers it with INVALID COMMAND OPERATION CODE`;
}

/**
 * What INVALID COMMAND OPERATION CODE means for a standard command its standard makes optional:
 * the device is free to lack it, so the answer is the device's, not a mistake in the CDB.
 */
function optionalOpcodeAdvice(command: AdvisedCommand | undefined): string | undefined {
  const vendors = (command?.opcode ?? 0) >= 0xc0 || command?.standardRangeOpcode !== undefined;
  if (command?.support !== 'optional' || vendors) return undefined;
  return `${command.name} is optional (${command.standard}): a device need not implement it, and this one does not. USB bridges often answer only what common operating systems send; REPORT SUPPORTED OPERATION CODES, where the device has it, lists what it does implement.`;
}

export function adviceFor(
  asc: number | undefined,
  ascq: number | undefined,
  command?: AdvisedCommand,
): Pick<AscAdvice, 'advice' | 'action'> | undefined {
  if (asc === undefined) return undefined;
  // "Does not implement this operation code" cannot be true of a mandatory command.
  const mandatory = asc === 0x20 && ascq === 0x00 ? mandatoryOpcodeFact(command) : undefined;
  if (mandatory)
    return {
      advice: `${mandatory}: if this CHECK CONDITION really answers it, the bytes that reached the device were not this CDB (check the CDB length and the CBW, or suspect the bridge), or the sense belongs to another command.`,
      action: 'check-transport',
    };
  const optional = asc === 0x20 && ascq === 0x00 ? optionalOpcodeAdvice(command) : undefined;
  if (optional) return { advice: optional, action: 'fix-command' };
  return (
    ASC_ADVICE.find((a) => a.asc === asc && a.ascq !== undefined && a.ascq === ascq) ??
    ASC_ADVICE.find((a) => a.asc === asc && a.ascq === undefined)
  );
}
