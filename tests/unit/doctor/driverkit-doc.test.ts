/**
 * docs/driverkit.md is what the doctor's DriverKit findings rest on: it must give the types and
 * values the public sources give, and the tables the doctor uses must agree with it.
 *
 * The expected values are transcribed from the public sources by hand:
 * - field types: Apple's SCSIPeripheralsDriverKit reference, SCSIDeviceOutParameters and
 *   SCSIDeviceInParameters field pages;
 * - kIOReturn* values: xnu iokit/IOKit/IOReturn.h (iokit_common_err(code), sys_iokit = 38h << 26);
 * - SCSITaskStatus constants: SCSIControllerDriverKit SCSIDefinitions.h
 *   (apple-oss-distributions/IOSCSIParallelFamily).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DATA_TRANSFER_DIRECTIONS,
  MEMORY_DIRECTIONS,
  OUT_PARAMETER_FIELDS,
  SCSI_STATUSES,
  SERVICE_RESPONSES,
  TRANSPORT_STATUSES,
} from '../../../shared/doctor/driverkit';
import { IO_RETURNS } from '../../../shared/doctor/io-return';

const doc = readFileSync(join(process.cwd(), 'docs/driverkit.md'), 'utf8');
const bridges = readFileSync(join(process.cwd(), 'docs/bridges.md'), 'utf8');

/** The type Apple's reference page gives each field. */
const APPLE_TYPES: Record<string, string> = {
  fLogicalUnitNumber: 'uint64_t',
  fTimeoutDuration: 'uint32_t',
  fCommandDescriptorBlock: 'SCSICommandDescriptorBlock',
  fRequestedByteCountOfTransfer: 'uint64_t',
  fBufferDirection: 'uint8_t',
  fDataTransferDirection: 'uint8_t',
  fSenseLengthRequested: 'uint8_t',
  fDataBufferAddr: 'uint64_t',
  fSenseBufferAddr: 'uint64_t',
  fCompletionStatus: 'SCSITaskStatus',
  fServiceResponse: 'SCSIServiceResponse',
  fRealizedByteCountOfTransfer: 'uint64_t',
  fSenseDataValid: 'bool',
};

/** The type a table row of the doc gives a field, if the doc has a row for it. */
function typeInDoc(field: string): string | undefined {
  const row = doc.split('\n').find((l) => l.startsWith(`| \`${field}\``));
  return row?.split('|')[2]?.trim().replace(/`/g, '');
}

describe('docs/driverkit.md against the public sources', () => {
  it('gives every field the type Apple documents, the doctor’s --dk fields included', () => {
    for (const [field, type] of Object.entries(APPLE_TYPES)) {
      expect({ field, type: typeInDoc(field) }).toEqual({ field, type });
    }
    for (const field of OUT_PARAMETER_FIELDS) expect(APPLE_TYPES[field]).toBeDefined();
  });

  it('gives the IOReturn values IOReturn.h defines, as the doctor’s table has them', () => {
    const sysIokit = (0x38 << 26) >>> 0;
    const expected: Record<string, number> = {
      kIOReturnError: (sysIokit | 0x2bc) >>> 0,
      kIOReturnNotPrivileged: (sysIokit | 0x2c1) >>> 0,
      kIOReturnUnsupported: (sysIokit | 0x2c7) >>> 0,
    };
    for (const [name, value] of Object.entries(expected)) {
      expect(IO_RETURNS.find((r) => r.name === name)?.value).toBe(value);
      expect(doc).toMatch(
        new RegExp(`\`${name}\`(?: is)?\\s+0x${value.toString(16).toUpperCase()}`),
      );
    }
  });

  it('lists the SAM statuses SCSITaskStatus names, and only those, as the doctor does', () => {
    // SCSIDefinitions.h: the SAM values of SCSITaskStatus.
    const defined = [0x00, 0x02, 0x04, 0x08, 0x10, 0x14, 0x18, 0x28, 0x30];
    expect(
      SCSI_STATUSES.filter((s) => s.noTaskStatusConstant !== true).map((s) => s.value),
    ).toEqual(defined);
    for (const s of SCSI_STATUSES.filter((x) => x.noTaskStatusConstant === true)) {
      expect(doc).toMatch(new RegExp(`has none for [^.]*${s.name}`));
    }
    expect(TRANSPORT_STATUSES.map((s) => s.value)).toEqual([1, 2, 3, 4, 5, 0xff]);
    expect(SERVICE_RESPONSES.map((s) => s.value)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(doc).toMatch(/enums whose underlying type is `unsigned int`/);
  });

  it('gives the direction constants xnu’s IOMemoryDescriptor.iig and SCSIDefinitions.h define', () => {
    expect(MEMORY_DIRECTIONS.map((m) => [m.name, m.value])).toEqual([
      ['kIOMemoryDirectionNone', 0],
      ['kIOMemoryDirectionIn', 1],
      ['kIOMemoryDirectionOut', 2],
      ['kIOMemoryDirectionInOut', 3],
    ]);
    expect(DATA_TRANSFER_DIRECTIONS.map((m) => m.value)).toEqual([0, 1, 2]);
    expect(doc).toContain('None 0, In 1, Out 2, InOut = OutIn 3');
    expect(doc).toContain('NoDataTransfer 0, FromInitiatorToTarget 1, FromTargetToInitiator 2');
  });

  it('says the exclusive window is Apple’s, that the app unmounts, and what stays unverified', () => {
    expect(doc).toMatch(/The window the doctor offers is \*\*documented\*\*/);
    expect(doc).toMatch(/Disk Arbitration is not a DriverKit framework/);
    expect(doc).toMatch(/That this window lets C0h–FFh through is \*\*inferred\*\*/);
    for (const text of [doc, bridges]) expect(text).not.toMatch(/extension has unmounted/);
    expect(doc).toMatch(/Which opcodes macOS filters, and how: \*\*unknown\*\*/);
    expect(doc).toMatch(/documents no entitlement for\s+SCSIPeripheralsDriverKit/);
  });
});
