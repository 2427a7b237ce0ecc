import { describe, expect, it } from 'vitest';
import { asByteCount, asLun } from '../../../shared/scsi/brand';
import { formatHex, parseHex } from '../../../shared/scsi/hex';
import {
  BOT_CASES,
  classifyBotCase,
  expectedCsw,
  isAgreement,
  type BotDirection,
} from '../../../shared/bot/cases';
import { decodeCbw, encodeCbw } from '../../../shared/bot/cbw';
import { decodeCsw, encodeCsw, judgeCsw } from '../../../shared/bot/csw';
import {
  bomsReset,
  clearHalt,
  decodeSetup,
  encodeSetup,
  getInterface,
  getMaxLun,
  resetRecovery,
  setConfiguration,
  setInterface,
  validateClassRequest,
} from '../../../shared/bot/requests';

function hex(t: string): Uint8Array {
  const r = parseHex(t);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const INQUIRY_CBW =
  // dCBWSignature "USBC" | dCBWTag 1 | dCBWDataTransferLength 36 | bmCBWFlags IN | bCBWLUN 0 | bCBWCBLength 6 | CBWCB
  '55 53 42 43  01 00 00 00  24 00 00 00  80  00  06  12 00 00 00 24 00 00 00 00 00 00 00 00 00 00 00';

describe('CBW', () => {
  const inquiry = {
    tag: 1,
    dataTransferLength: asByteCount(36),
    direction: 'in' as const,
    lun: asLun(0),
    cdb: hex('12 00 00 00 24 00'),
  };

  it('encodes INQUIRY 36 bytes on LUN 0, tag 1, as BOT 1.0 §5.1 lays it out', () => {
    const r = encodeCbw(inquiry);
    expect(r.ok && formatHex(r.value)).toBe(formatHex(hex(INQUIRY_CBW)));
  });

  it('decodes it back, meaningful', () => {
    const r = decodeCbw(hex(INQUIRY_CBW), 0);
    expect(r.ok && r.value).toMatchObject({
      tag: 1,
      dataTransferLength: 36,
      direction: 'in',
      lun: 0,
      problems: [],
    });
    expect(r.ok && formatHex(r.value.cdb)).toBe('12 00 00 00 24 00');
  });

  it('refuses to encode impossible CBWs', () => {
    expect(encodeCbw({ ...inquiry, cdb: new Uint8Array(0) }).ok).toBe(false);
    expect(encodeCbw({ ...inquiry, cdb: new Uint8Array(17) }).ok).toBe(false);
    expect(encodeCbw({ ...inquiry, lun: asLun(16) }).ok).toBe(false);
    expect(encodeCbw({ ...inquiry, dataTransferLength: asByteCount(2 ** 32) }).ok).toBe(false);
  });

  it('is not valid when 30 or 32 bytes long (USBCV TD1.4) or with a bad signature', () => {
    const b = hex(INQUIRY_CBW);
    for (const bad of [b.slice(0, 30), Uint8Array.from([...b, 0])]) {
      const r = decodeCbw(bad);
      expect(!r.ok && r.error.code).toBe('cbw-size');
    }
    const sig = b.slice();
    sig[3] = 0x44;
    const r = decodeCbw(sig);
    expect(!r.ok && r.error.message).toMatch(/dCBWSignature \(bytes 0–3\) is 0x44425355/);
  });

  it('is valid but not meaningful with reserved bits, a bad CB length or an unsupported LUN', () => {
    const cases: [number, number, string][] = [
      [12, 0x81, 'cbw-flags-reserved'],
      [13, 0x10, 'cbw-lun-reserved'],
      [14, 0x26, 'cbw-cblength-reserved'],
      [14, 0x00, 'cbw-cblength'],
      [14, 0x11, 'cbw-cblength'],
      [13, 0x02, 'cbw-lun'],
    ];
    for (const [offset, value, code] of cases) {
      const b = hex(INQUIRY_CBW);
      b[offset] = value;
      const r = decodeCbw(b, 1);
      expect(r.ok, code).toBe(true);
      expect(r.ok && r.value.problems.map((p) => p.code), code).toContain(code);
    }
  });
});

describe('CSW', () => {
  it('encodes and decodes passed / failed / phase error', () => {
    for (const status of ['passed', 'failed', 'phase-error'] as const) {
      const b = encodeCsw({ tag: 7, residue: 476, status });
      expect(b).toHaveLength(13);
      const r = decodeCsw(b);
      expect(r.ok && r.value).toEqual({ tag: 7, residue: 476, status });
    }
    // "USBS" | tag 7 | residue 476 | status 1
    expect(formatHex(encodeCsw({ tag: 7, residue: 476, status: 'failed' }))).toBe(
      '55 53 42 53 07 00 00 00 dc 01 00 00 01',
    );
  });

  it('rejects wrong sizes, signatures and reserved statuses, naming the byte', () => {
    expect(decodeCsw(new Uint8Array(12)).ok).toBe(false);
    const b = encodeCsw({ tag: 1, residue: 0, status: 'passed' });
    b[12] = 3;
    const r = decodeCsw(b);
    expect(!r.ok && r.error.message).toMatch(
      /bCSWStatus \(byte 12\) is 0x03: reserved \(obsolete\)/,
    );
    b[12] = 0;
    b[0] = 0;
    expect(!decodeCsw(b).ok).toBe(true);
  });

  it('judges a CSW against its CBW', () => {
    const cbw = { tag: 5, dataTransferLength: 36 };
    expect(judgeCsw(encodeCsw({ tag: 5, residue: 0, status: 'passed' }), cbw).kind).toBe('use');
    expect(judgeCsw(encodeCsw({ tag: 6, residue: 0, status: 'passed' }), cbw)).toMatchObject({
      kind: 'reset-recovery',
      reason: expect.stringMatching(/dCSWTag/),
    });
    expect(judgeCsw(encodeCsw({ tag: 5, residue: 37, status: 'failed' }), cbw)).toMatchObject({
      kind: 'reset-recovery',
      reason: expect.stringMatching(/exceeds/),
    });
    expect(judgeCsw(encodeCsw({ tag: 5, residue: 99, status: 'phase-error' }), cbw)).toMatchObject({
      kind: 'reset-recovery',
      reason: expect.stringMatching(/phase error/),
    });
    expect(judgeCsw(new Uint8Array(13), cbw).kind).toBe('reset-recovery');
  });
});

describe('the 13 cases', () => {
  const table: [BotDirection, number, BotDirection, number, number][] = [
    ['none', 0, 'none', 0, 1],
    ['none', 0, 'in', 36, 2],
    ['none', 0, 'out', 512, 3],
    ['in', 512, 'none', 0, 4],
    ['in', 512, 'in', 36, 5],
    ['in', 36, 'in', 36, 6],
    ['in', 512, 'in', 9216, 7],
    ['in', 512, 'out', 512, 8],
    ['out', 512, 'none', 0, 9],
    ['out', 512, 'in', 512, 10],
    ['out', 1024, 'out', 512, 11],
    ['out', 512, 'out', 512, 12],
    ['out', 512, 'out', 1024, 13],
  ];
  for (const [hd, hl, dd, dl, n] of table) {
    it(`host ${hd} ${hl}, device ${dd} ${dl} is case ${n}`, () => {
      expect(
        classifyBotCase({ direction: hd, length: hl }, { direction: dd, length: dl }).number,
      ).toBe(n);
    });
  }

  it('treats a zero length as no data phase whatever the direction bit (BOT 1.0 §5.1)', () => {
    expect(
      classifyBotCase({ direction: 'in', length: 0 }, { direction: 'in', length: 0 }).number,
    ).toBe(1);
  });

  it('has 13 rows, phase errors exactly for cases 2, 3, 7, 8, 10, 13, agreement for 1, 6, 12', () => {
    expect(BOT_CASES.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(BOT_CASES.filter((c) => c.status === 'phase-error').map((c) => c.number)).toEqual([
      2, 3, 7, 8, 10, 13,
    ]);
    expect(BOT_CASES.filter(isAgreement).map((c) => c.number)).toEqual([1, 6, 12]);
  });

  it('computes the CSW a device must send', () => {
    const c5 = classifyBotCase({ direction: 'in', length: 512 }, { direction: 'in', length: 36 });
    expect(expectedCsw(c5, 512, 36)).toEqual({ status: 'passed-or-failed', residue: 476 });
    const c4 = classifyBotCase({ direction: 'in', length: 512 }, { direction: 'none', length: 0 });
    expect(expectedCsw(c4, 512, 0)).toEqual({ status: 'passed-or-failed', residue: 512 });
    const c7 = classifyBotCase({ direction: 'in', length: 512 }, { direction: 'in', length: 9216 });
    expect(expectedCsw(c7, 512, 512)).toEqual({ status: 'phase-error', residue: undefined });
  });
});

describe('class requests', () => {
  it('builds SET_CONFIGURATION, SET_INTERFACE and GET_INTERFACE SETUP packets (USB 2.0 §9.4)', () => {
    expect(formatHex(encodeSetup(setConfiguration(1)))).toBe('00 09 01 00 00 00 00 00');
    expect(formatHex(encodeSetup(setInterface(0, 1)))).toBe('01 0b 01 00 00 00 00 00');
    expect(formatHex(encodeSetup(getInterface(0)))).toBe('81 0a 00 00 00 00 01 00');
  });

  it('builds the reset, Get Max LUN and CLEAR_FEATURE(HALT) SETUP packets', () => {
    expect(formatHex(encodeSetup(bomsReset(0)))).toBe('21 ff 00 00 00 00 00 00');
    expect(formatHex(encodeSetup(getMaxLun(0)))).toBe('a1 fe 00 00 00 00 01 00');
    expect(formatHex(encodeSetup(clearHalt(0x81)))).toBe('02 01 00 00 81 00 00 00');
    const d = decodeSetup(encodeSetup(getMaxLun(2)));
    expect(d.ok && d.value).toEqual(getMaxLun(2));
    expect(decodeSetup(new Uint8Array(7)).ok).toBe(false);
  });

  it('names what is wrong with a malformed class request (USBCV TD1.3)', () => {
    expect(validateClassRequest(getMaxLun(0), 0).problems).toEqual([]);
    const bad = validateClassRequest({ ...getMaxLun(0), wLength: 2 }, 0);
    expect(bad.request).toBe('get-max-lun');
    expect(bad.problems[0]?.message).toMatch(/wLength \(byte 6\) is 0x2, expected 0x1/);
    expect(
      validateClassRequest({ ...bomsReset(0), bmRequestType: 0xa1, wValue: 1 }, 0).problems.map(
        (p) => p.code,
      ),
    ).toEqual(['setup-bmRequestType', 'setup-wValue']);
    expect(validateClassRequest(clearHalt(1), 0).request).toBe('other');
  });

  it('lists Reset Recovery in order: reset, clear Bulk-In, clear Bulk-Out (§5.3.4)', () => {
    expect(resetRecovery(0, 0x81, 0x02).map((s) => formatHex(encodeSetup(s)))).toEqual([
      '21 ff 00 00 00 00 00 00',
      '02 01 00 00 81 00 00 00',
      '02 01 00 00 02 00 00 00',
    ]);
  });
});
