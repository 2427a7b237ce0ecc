import { describe, expect, it } from 'vitest';
import { probePlan } from '../../../shared/probe/plan';
import { VENDOR_FAMILIES } from '../../../shared/probe/families';
import { readPassThrough } from '../../../shared/scsi/ata-commands';
import { formatHex } from '../../../shared/scsi/hex';

const STANDARD = ['inquiry', 'vpd-00', 'vpd-80', 'vpd-83', 'readcap16', 'readcap10'];
const SAT = ['sat-identify', 'sat-smart-status'];

describe('probePlan', () => {
  it('orders the steps safest first: INQUIRY, VPD, READ CAPACITY, then SAT', () => {
    expect(probePlan(undefined).steps.map((s) => s.id)).toEqual([...STANDARD, ...SAT]);
  });

  it('adds only the vendor family whose USB vendor ID fits, after SAT', () => {
    expect(probePlan(0x152d).steps.map((s) => s.id)).toEqual([...STANDARD, ...SAT, 'jmicron-ata']);
    expect(
      probePlan(0x0bda)
        .steps.map((s) => s.id)
        .slice(-1),
    ).toEqual(['realtek-nvme']);
    expect(
      probePlan(0x174c)
        .steps.map((s) => s.id)
        .slice(-1),
    ).toEqual(['asmedia-nvme']);
  });

  it('adds no vendor family for a vendor ID none is seen under, and says why each was left out', () => {
    const plan = probePlan(0x1d6b);
    expect(plan.steps.every((s) => !s.nonStandard)).toBe(true);
    expect(plan.leftOut.join('\n')).toMatch(
      /JMicron ATA \(DFh\): seen under vendor ID 152d, not USB vendor ID 1d6b/,
    );
    expect(plan.leftOut.join('\n')).toMatch(/JMicron NVMe .*data-out/);
  });

  it('tries every family with allFamilies, each marked non-standard', () => {
    const plan = probePlan(0x1d6b, { allFamilies: true });
    const vendor = plan.steps.filter((s) => s.nonStandard).map((s) => s.id);
    expect(vendor).toEqual(VENDOR_FAMILIES.map((f) => f.id));
  });

  it('never has a data-out step', () => {
    for (const s of probePlan(0x152d, { allFamilies: true }).steps)
      expect(s.direction).not.toBe('out');
  });

  it('builds SAT IDENTIFY DEVICE as PIO data-in, T_LENGTH in COUNT, BYT_BLOK 1, T_DIR 1, one 512-byte block', () => {
    const s = probePlan(undefined).steps.find((x) => x.id === 'sat-identify');
    expect(s && formatHex(s.cdb)).toBe('85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00');
    const pt = s && readPassThrough(s.cdb);
    expect(pt).toMatchObject({
      protocol: 4,
      tLength: 2,
      bytBlok: 1,
      tDir: 1,
      count: 1,
      command: 0xec,
      ckCond: false,
    });
    expect(s?.transferLength).toBe(512);
  });

  it('builds SMART RETURN STATUS as non-data with CK_COND=1 and the 4Fh/C2h signature', () => {
    const s = probePlan(undefined).steps.find((x) => x.id === 'sat-smart-status');
    const pt = s && readPassThrough(s.cdb);
    expect(pt).toMatchObject({
      protocol: 3,
      ckCond: true,
      tLength: 0,
      features: 0xda,
      lbaMid: 0x4f,
      lbaHigh: 0xc2,
      command: 0xb0,
    });
    expect(pt?.row?.name).toBe('SMART RETURN STATUS');
    expect(s?.direction).toBe('none');
  });

  it('tunnels only ATA commands the table marks read-only', () => {
    for (const s of probePlan(undefined).steps.filter((x) => x.family === 'sat'))
      expect(readPassThrough(s.cdb)?.row?.reads).toBe(true);
  });

  it('makes READ CAPACITY(10) a fallback for (16)', () => {
    expect(probePlan(undefined).steps.find((s) => s.id === 'readcap10')?.onlyIfNotAnswered).toBe(
      'readcap16',
    );
  });
});
