/**
 * ATA register reading (ACS-4 normal outputs; SMART RETURN STATUS's 4Fh/C2h and F4h/2Ch), the
 * catalog's length helpers, the confirmation policy's effect decisions, and the emulated drive's
 * Block Limits, pinned directly with values worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  describeRegisters,
  smartHealthOf,
  statusSaysSuccess,
  type AtaRegisters,
} from '../../../shared/scsi/ata-registers';
import {
  applicableLengthRule,
  blockSizeProblem,
  findByName,
  unitCount,
} from '../../../shared/scsi/catalog';
import { cdbEffect, effectNeedsConfirmation } from '../../../shared/scsi/confirm-policy';
import { maxTransferBlocks, maxWriteSameBlocks } from '../../../src-main/emulator/limits';
import { findProfile } from '../../../src-main/emulator/profiles';

const regs = (r: Partial<AtaRegisters>): AtaRegisters => ({
  source: 'descriptor',
  error: 0,
  status: 0x50,
  device: 0x40,
  count: 0,
  lbaLow: 0,
  lbaMid: 0,
  lbaHigh: 0,
  ...r,
});

describe('ATA registers', () => {
  it('call a command done only with DRDY set and BSY and ERR clear', () => {
    expect(statusSaysSuccess(regs({ status: 0x50 }))).toBe(true); // DRDY, DSC
    expect(statusSaysSuccess(regs({ status: 0x51 }))).toBe(false); // ERR
    expect(statusSaysSuccess(regs({ status: 0xd0 }))).toBe(false); // BSY
    expect(statusSaysSuccess(regs({ status: 0x00 }))).toBe(false); // not ready
  });

  it('read SMART RETURN STATUS from LBA mid/high', () => {
    expect(smartHealthOf(regs({ lbaMid: 0x4f, lbaHigh: 0xc2 }))).toBe('good');
    expect(smartHealthOf(regs({ lbaMid: 0xf4, lbaHigh: 0x2c }))).toBe('threshold-exceeded');
    expect(smartHealthOf(regs({ lbaMid: 0x4f, lbaHigh: 0x2c }))).toBe('unknown');
  });

  it('are described register by register, with the STATUS bits named', () => {
    expect(
      describeRegisters(regs({ status: 0x61, error: 0x04, count: 1, lbaMid: 0x4f, lbaHigh: 0xc2 })),
    ).toBe(
      'STATUS 61h (DRDY DF ERR), ERROR 04h, COUNT 01h, LBA low/mid/high 00h/4Fh/C2h, DEVICE 40h',
    );
    expect(describeRegisters(regs({ status: 0 }))).toMatch(/^STATUS 00h, ERROR/);
  });
});

describe('catalog length helpers', () => {
  it('pick the first length rule whose conditions the CDB meets', () => {
    const sanitize = findByName('sanitize');
    if (!sanitize) throw new Error('no SANITIZE');
    // Only OVERWRITE (service action 01h) has a parameter list (SBC-4).
    const overwrite = Uint8Array.of(0x48, 0x01, 0, 0, 0, 0, 0, 0, 12, 0);
    const blockErase = Uint8Array.of(0x48, 0x02, 0, 0, 0, 0, 0, 0, 0, 0);
    expect(applicableLengthRule(sanitize.length, sanitize.fields, overwrite)?.field).toBe(
      'parameterListLength',
    );
    expect(applicableLengthRule(sanitize.length, sanitize.fields, blockErase)).toBeUndefined();
  });

  it('refuse a block size outside READ CAPACITY’s 1–4294967295, naming the option', () => {
    expect(blockSizeProblem(512, '--block-size')).toBeUndefined();
    expect(blockSizeProblem(0xffff_ffff, '--block-size')).toBeUndefined();
    expect(blockSizeProblem(0, '--block-size')).toMatch(
      /^--block-size is a logical block length in bytes, 1–4294967295 .*not 0$/,
    );
    expect(blockSizeProblem(2 ** 32, 'x')).toMatch(/not 4294967296$/);
  });

  it('count units in words, one in the singular', () => {
    expect(unitCount(1, 'blocks')).toBe('1 logical block');
    expect(unitCount(8, 'bytes')).toBe('8 bytes');
    expect(unitCount(1n, 'blocks512')).toBe('1 512-byte block');
    expect(unitCount(0, 'blocks')).toBe('0 logical blocks');
  });
});

describe('effects and the confirmation gate', () => {
  it('asks about data and firmware changes, not about reads or state', () => {
    expect(effectNeedsConfirmation('changes-data')).toBe(true);
    expect(effectNeedsConfirmation('firmware')).toBe(true);
    expect(effectNeedsConfirmation('changes-state')).toBe(false);
    expect(effectNeedsConfirmation('reads')).toBe(false);
  });

  it('takes an ATA PASS-THROUGH(16) CDB’s effect from the command it carries, unless data-out goes with it', () => {
    const pt16 = findByName('ata16');
    if (!pt16) throw new Error('no ATA PASS-THROUGH(16)');
    // IDENTIFY DEVICE: PROTOCOL 4 (PIO data-in), T_DIR=1, BYT_BLOK=1, T_LENGTH=2, COUNT 1, ECh.
    const identify = Uint8Array.of(0x85, 4 << 1, 0x0e, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 0xec, 0);
    expect(cdbEffect(identify, pt16, 0)).toBe('reads');
    expect(cdbEffect(identify, pt16, 512)).toBe('changes-data'); // the row's worst case
    const inquiry = findByName('inquiry');
    if (!inquiry) throw new Error('no INQUIRY');
    expect(cdbEffect(Uint8Array.of(0x12, 0, 0, 0, 36, 0), inquiry, 0)).toBe('reads');
  });
});

describe('the emulated drive’s Block Limits', () => {
  const stick = findProfile('flash-stick');
  if (!stick) throw new Error('no flash-stick profile');

  it('allow as many blocks as the command data bound holds, at most FFFFFFFFh', () => {
    expect(maxTransferBlocks({ profile: stick, maxCommandData: 32 * 1024 * 1024 })).toBe(
      (32 * 1024 * 1024) / stick.blockSize,
    );
    // A bound past 2 TiB of 512-byte blocks: the 32-bit field's largest value.
    expect(
      maxTransferBlocks({ profile: { ...stick, blockSize: 512 }, maxCommandData: 2 ** 42 }),
    ).toBe(0xffffffff);
  });

  it('allow a WRITE SAME of 1 MiB of blocks', () => {
    expect(maxWriteSameBlocks(stick)).toBe((1024 * 1024) / stick.blockSize);
    expect(maxWriteSameBlocks({ ...stick, blockSize: 4096 })).toBe(256);
  });
});
