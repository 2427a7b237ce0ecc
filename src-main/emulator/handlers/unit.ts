/**
 * The logical unit as a whole (SPC-5, SBC-4): readiness, REQUEST SENSE,
 * loading and locking the medium, REPORT LUNS and self-tests.
 */
import { putBe32 } from '../../../shared/scsi/bytes';
import { encodeDescriptorSense, encodeFixedSense } from '../../../shared/scsi/sense';
import { check, good } from '../responses';
import { withAllocation, type Handler } from './context';

export const testUnitReady: Handler<'TEST UNIT READY'> = () => Promise.resolve(good());

/** Pending sense, else the oldest unit attention, else NO SENSE (SPC-5, REQUEST SENSE). */
export const requestSense: Handler<'REQUEST SENSE'> = (lu, ctx) => {
  const pending = lu.takeSense() ?? lu.takeUnitAttention();
  const fields = pending ?? { key: 0, asc: 0, ascq: 0 };
  const bytes = ctx.get('desc') === 1 ? encodeDescriptorSense(fields) : encodeFixedSense(fields);
  return Promise.resolve(withAllocation(bytes, ctx.get('allocationLength')));
};

/**
 * LOEJ on a removable drive loads or ejects; ejecting a locked medium is refused (SBC-4, START
 * STOP UNIT). A POWER CONDITION other than 0h (START_VALID) means START and LOEJ are ignored;
 * the drive has no power conditions to enter, so it answers GOOD, as QEMU's disk does. A
 * reserved one never gets here (disk.ts refuses reserved codes).
 */
export const startStop: Handler<'START STOP UNIT'> = (lu, ctx) => {
  if (ctx.get('powerCondition') !== 0) return Promise.resolve(good());
  if (ctx.get('loej') === 1 && lu.profile.inquiry.removable) {
    if (ctx.get('start') === 0) {
      if (lu.preventRemoval) return Promise.resolve(check(0x05, 0x53, 0x02)); // MEDIUM REMOVAL PREVENTED
      lu.mediumPresent = false;
    } else lu.mediumPresent = true;
  }
  return Promise.resolve(good());
};

export const preventAllow: Handler<'PREVENT ALLOW MEDIUM REMOVAL'> = (lu, ctx) => {
  lu.preventRemoval = ctx.get('prevent') === 1;
  return Promise.resolve(good());
};

/**
 * Which logical units each SELECT REPORT value lists (SPC-5, REPORT LUNS): the drive's LUs are
 * all ordinary, non-conglomerate ones, so 00h, 02h and 11h (administrative and non-conglomerate
 * LUs) list them, and 01h (well-known), 10h (administrative) and 12h (an administrative LU's
 * subsidiaries) list none. Reserved and vendor-specific values are refused (05/24/00).
 */
const SELECT_REPORT: Readonly<Record<number, 'ordinary' | 'none'>> = {
  0x00: 'ordinary',
  0x01: 'none',
  0x02: 'ordinary',
  0x10: 'none',
  0x11: 'ordinary',
  0x12: 'none',
};

/** REPORT LUNS (SPC-5): every LUN of the target, single-level peripheral addressing; at least 16 bytes of room. */
export const reportLuns: Handler<'REPORT LUNS'> = (lu, ctx) => {
  const alloc = ctx.get('allocationLength');
  const listed = SELECT_REPORT[ctx.get('selectReport')];
  if (listed === undefined) return Promise.resolve(ctx.invalid('selectReport'));
  if (alloc < 16) return Promise.resolve(ctx.invalid('allocationLength'));
  const count = listed === 'ordinary' ? lu.lunCount : 0;
  const d = new Uint8Array(8 + 8 * count);
  putBe32(d, 0, 8 * count);
  for (let i = 0; i < count; i++) d[8 + 8 * i + 1] = i;
  return Promise.resolve(withAllocation(d, alloc));
};

/** SEND DIAGNOSTIC: the default self-test (SELFTEST=1) and the short/extended self-test codes pass. */
export const sendDiagnostic: Handler<'SEND DIAGNOSTIC'> = (lu, ctx) => {
  const code = ctx.get('selfTestCode');
  if (ctx.get('selfTest') === 1 && code !== 0) return Promise.resolve(ctx.invalid('selfTestCode'));
  if (ctx.get('selfTest') === 0 && ctx.get('parameterListLength') === 0 && code === 0)
    return Promise.resolve(good());
  // 011b and 111b are reserved (SPC-5, SELF-TEST CODE); every other self-test passes at once.
  if ([3, 7].includes(code)) return Promise.resolve(ctx.invalid('selfTestCode'));
  // Abort background self-test (100b) has none running to abort; every other self-test is logged.
  if (code !== 4) lu.selfTests.record({ code, result: 0, powerOnHours: lu.powerOnHours });
  lu.note(`self-test ${ctx.get('selfTest') === 1 ? 'default' : `code ${code}`} passed`);
  return Promise.resolve(good());
};
