import { describe, expect, it } from 'vitest';
import {
  failsWherePeerPasses,
  gapsAgainst,
  parseConformance,
  tally,
} from '../e2e/guest/iscsi-test-cu';

// The shape of iscsi-test-cu's verbose CUnit output, after the guest's grep.
const OURS = `Suite: Inquiry
  Test: Standard ...passed
  Test: BlockLimits ...    [WARNING] SBC-3 pagelength (>=60) returned
passed
Suite: Unmap
  Test: Simple ...    [FAILED] Failed to send WRITE10 command: SG_IO ioctl failed
FAILED
  Test: VPD ...passed
Suite: WriteSame10
  Test: Simple ...    [SKIPPED] WRITESAME10 is not implemented.
passed
               tests      5      5      4      1        0
`;
const PEER = `Suite: Inquiry
  Test: Standard ...passed
  Test: BlockLimits ...FAILED
Suite: Unmap
  Test: Simple ...passed
  Test: VPD ...    [FAILED] UNMAP is implemented but LBPME is not set
    [FAILED] UNMAP is implemented but LBPU is not set
FAILED
Suite: WriteSame10
  Test: Simple ...passed
`;

describe('iscsi-test-cu output', () => {
  it('reads each test’s outcome, telling a skipped test from a passed one', () => {
    const r = parseConformance(OURS);
    expect(Object.fromEntries(r.tests)).toEqual({
      'Inquiry.Standard': 'passed',
      'Inquiry.BlockLimits': 'passed',
      'Unmap.Simple': 'failed',
      'Unmap.VPD': 'passed',
      'WriteSame10.Simple': 'skipped',
    });
    expect(r.summary).toEqual({ total: 5, ran: 5, passed: 4, failed: 1 });
    expect(parseConformance(PEER).tests.get('Unmap.VPD')).toBe('failed');
    expect(parseConformance(PEER).summary).toBeUndefined();
  });

  it('lists the tests one side fails and the other passes', () => {
    const ours = parseConformance(OURS);
    const peer = parseConformance(PEER);
    expect(failsWherePeerPasses(ours, peer)).toEqual(['Unmap.Simple']);
    expect(failsWherePeerPasses(peer, ours)).toEqual(['Inquiry.BlockLimits', 'Unmap.VPD']);
  });

  it('counts a test the drive skips where the peer passes as a gap, beside the failures', () => {
    const ours = parseConformance(OURS);
    const peer = parseConformance(PEER);
    expect(gapsAgainst(ours, peer)).toEqual(['Unmap.Simple', 'WriteSame10.Simple']);
    expect(gapsAgainst(peer, ours)).toEqual(['Inquiry.BlockLimits', 'Unmap.VPD']);
  });

  it('tallies passed, failed and skipped apart, where CUnit says 4 passed', () => {
    expect(tally(parseConformance(OURS))).toEqual({ passed: 3, failed: 1, skipped: 1 });
  });
});
