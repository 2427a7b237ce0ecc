/**
 * The doctor's lookups of Apple's constants, pinned directly: IOReturn.h's codes (0xE00002BC
 * kIOReturnError, 0xE00002C1 kIOReturnNotPrivileged, 0xE00002C7 kIOReturnUnsupported) and
 * SCSIPeripheralsDriverKit's kSCSIDataTransfer values (0 none, 1 to the device, 2 from it).
 */
import { describe, expect, it } from 'vitest';
import { ioReturnInfo } from '../../../shared/doctor/io-return';
import {
  DATA_TRANSFER_DIRECTIONS,
  driverKitTransfer,
  nameOf,
} from '../../../shared/doctor/driverkit';
import {
  familiesFor,
  vidText,
  VENDOR_FAMILIES,
  BRIDGE_FAMILIES,
} from '../../../shared/probe/families';

describe('ioReturnInfo', () => {
  it('names a kern_return_t given unsigned or as the signed 32-bit number C prints', () => {
    expect(ioReturnInfo(0xe00002c1)?.name).toBe('kIOReturnNotPrivileged');
    expect(ioReturnInfo(0xe00002c1 - 2 ** 32)?.name).toBe('kIOReturnNotPrivileged');
    expect(ioReturnInfo(0xe00002bc)?.name).toBe('kIOReturnError');
    expect(ioReturnInfo(0xe00002c7)?.name).toBe('kIOReturnUnsupported');
  });

  it('knows nothing of a code it does not describe', () => {
    expect(ioReturnInfo(0xe00002d8)).toBeUndefined(); // kIOReturnAborted
  });
});

describe('nameOf and driverKitTransfer', () => {
  it('names a kSCSIDataTransfer value, and none it lacks', () => {
    expect(nameOf(DATA_TRANSFER_DIRECTIONS, 2)?.name).toBe(
      'kSCSIDataTransfer_FromTargetToInitiator',
    );
    expect(nameOf(DATA_TRANSFER_DIRECTIONS, 1)?.name).toBe(
      'kSCSIDataTransfer_FromInitiatorToTarget',
    );
    expect(nameOf(DATA_TRANSFER_DIRECTIONS, 9)).toBeUndefined();
  });

  it('gives the requested byte count only for the direction fDataTransferDirection names', () => {
    const inbound = { fDataTransferDirection: 2, fRequestedByteCountOfTransfer: 36 };
    expect(driverKitTransfer(inbound, 'in')).toBe(36);
    expect(driverKitTransfer(inbound, 'out')).toBeUndefined();
    expect(
      driverKitTransfer({ fDataTransferDirection: 1, fRequestedByteCountOfTransfer: 512 }, 'out'),
    ).toBe(512);
    expect(driverKitTransfer(undefined, 'in')).toBeUndefined();
  });
});

describe('bridge families by USB vendor ID', () => {
  it('writes a vendor ID as lsusb does: four lower-case hex digits', () => {
    expect(vidText(0x152d)).toBe('152d');
    expect(vidText(0x4fc)).toBe('04fc');
  });

  it('finds the families of a vendor ID, JMicron (152Dh) with both its families, and none without one', () => {
    expect(familiesFor(0x152d, BRIDGE_FAMILIES).map((f) => f.id)).toEqual([
      'jmicron-ata',
      'jmicron-nvme',
    ]);
    expect(familiesFor(0x174c, VENDOR_FAMILIES).map((f) => f.id)).toEqual(['asmedia-nvme']);
    expect(familiesFor(0x0781, VENDOR_FAMILIES)).toEqual([]);
    expect(familiesFor(undefined, VENDOR_FAMILIES)).toEqual([]);
  });
});
