import { describe, expect, it } from 'vitest';
import { lintCdb, RULES } from '../../../shared/lint/lint';
import { valueRuns, valuesText } from '../../../shared/lint/rules';
import { formatHex, parseHex } from '../../../shared/scsi/hex';

function hex(text: string): Uint8Array {
  const r = parseHex(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function ids(text: string, extra: Partial<Parameters<typeof lintCdb>[0]> = {}): string[] {
  return lintCdb({ cdb: hex(text), ...extra }).findings.map((f) => f.id);
}

describe('lintCdb: the report case', () => {
  const report = lintCdb({ cdb: hex('12 00 00 24 00 00'), dataIn: 512 });

  it('flags byte 3 as read differently by SPC-2 and SPC-3+', () => {
    const f = report.findings.find((x) => x.id === 'layout-ambiguity');
    expect(f).toBeDefined();
    expect(f?.byte).toBe(3);
    expect(f?.message).toContain('0x2400 = 9216');
    expect(f?.message).toMatch(/SPC-2 reads byte 3 as reserved/);
    expect(f?.message).toMatch(/SPC-3\+ reads ALLOCATION LENGTH \(bytes 3–4\)/);
    expect(formatHex(f?.fix?.cdb ?? new Uint8Array())).toBe('12 00 00 00 24 00');
  });

  it('notes the 9216-byte allocation length against the 512-byte buffer without calling it a phase error', () => {
    // Standard INQUIRY data is at most 260 bytes (ADDITIONAL LENGTH is one byte, SPC-5): the
    // device sends at most that, a 512-byte buffer holds it, so this is case 5, not case 7.
    const f = report.findings.find((x) => x.id === 'length-vs-buffer');
    expect(f?.severity).toBe('info');
    expect(f?.message).toBe(
      "ALLOCATION LENGTH (bytes 3–4) = 9216 bytes is more than the host's 512-byte buffer, but INQUIRY returns at most 260 bytes here, so the device sends no more than the buffer holds: no phase error, the residue says how much came.",
    );
    expect(f?.fix).toBeUndefined();
    // A buffer smaller than the most INQUIRY can return is a possible case 7, as before.
    const small = lintCdb({ cdb: hex('12 00 00 24 00 00'), dataIn: 128 });
    expect(small.findings.find((x) => x.id === 'length-vs-buffer')?.severity).toBe('error');
    // A VPD page (EVPD=1) has no such bound.
    const vpd = lintCdb({ cdb: hex('12 01 80 24 00 00'), dataIn: 512 });
    expect(vpd.findings.find((x) => x.id === 'length-vs-buffer')?.severity).toBe('error');
  });

  it('computes the corrected CDB and transfer length', () => {
    expect(report.corrected && formatHex(report.corrected.cdb)).toBe('12 00 00 00 24 00');
    expect(report.corrected?.transferLength).toBe(36);
  });

  it('puts errors before warnings before infos', () => {
    const order = report.findings.map((f) => f.severity);
    const rank = { error: 0, warning: 1, info: 2 };
    expect([...order].sort((a, b) => rank[a] - rank[b])).toEqual(order);
  });
});

describe('lintCdb: layouts', () => {
  it('reports byte 3 as a plain reserved-bits error for a known SPC-2 device, with the portable fix', () => {
    const r = lintCdb({ cdb: hex('12 00 00 24 00 00'), spcLevel: 2 });
    const f = r.findings.find((x) => x.id === 'layout-ambiguity');
    expect(f?.severity).toBe('error');
    expect(r.findings.filter((x) => x.id === 'reserved-bits')).toHaveLength(0);
  });

  it('is quiet for the correct INQUIRY with a matching buffer', () => {
    expect(ids('12 00 00 00 24 00', { dataIn: 36 })).toEqual([]);
  });

  it('keeps a genuine 16-bit allocation length when it fits the buffer', () => {
    const r = lintCdb({ cdb: hex('12 00 00 01 00 00'), dataIn: 512 });
    const f = r.findings.find((x) => x.id === 'layout-ambiguity');
    // 0x0100 = 256 fits the 512-byte buffer, so it is not taken for a misplaced 0x01.
    expect(f?.fix && formatHex(f.fix.cdb)).toBe('12 00 00 00 ff 00');
  });

  it('reads a power-of-two allocation length as a buffer size, not a misplaced byte', () => {
    const fixOf = (text: string, dataIn?: number): string | undefined => {
      const f = lintCdb({
        cdb: hex(text),
        ...(dataIn === undefined ? {} : { dataIn }),
      }).findings.find((x) => x.id === 'layout-ambiguity');
      return f?.fix && formatHex(f.fix.cdb);
    };
    // 512 and 256 with no buffer given: SPC-2's most, 255, not a 2- or 1-byte INQUIRY.
    expect(fixOf('12 00 00 02 00 00')).toBe('12 00 00 00 ff 00');
    expect(fixOf('12 00 00 01 00 00')).toBe('12 00 00 00 ff 00');
    // 1024 against a 512-byte buffer: the buffer (capped at 255), not 4 bytes.
    expect(fixOf('12 00 00 04 00 00', 512)).toBe('12 00 00 00 ff 00');
    // The report's 0x2400 is no buffer size: its 24h was meant for byte 4, with or without a buffer.
    expect(fixOf('12 00 00 24 00 00')).toBe('12 00 00 00 24 00');
    expect(fixOf('12 00 00 24 00 00', 512)).toBe('12 00 00 00 24 00');
  });
});

describe('lintCdb: the buffer against a length another fix rewrites', () => {
  const lengthFinding = (r: ReturnType<typeof lintCdb>) =>
    r.findings.find((x) => x.id === 'length-vs-buffer');

  it('offers no transfer of its own that the corrected CDB contradicts', () => {
    // 0x0104 = 260 becomes 255 in byte 4: a "260 bytes in" fix would disagree with the result.
    const r = lintCdb({ cdb: hex('12 00 00 01 04 00'), dataIn: 512 });
    expect(lengthFinding(r)?.severity).toBe('warning');
    expect(lengthFinding(r)?.fix).toBeUndefined();
    expect(r.corrected && formatHex(r.corrected.cdb)).toBe('12 00 00 00 ff 00');
    expect(r.corrected?.transferLength).toBe(255);
    // Judged as SPC-2, byte 4 is 0 until the layout fix puts 24h there: no "set it to 255".
    const spc2 = lintCdb({ cdb: hex('12 00 00 24 00 00'), dataIn: 512, spcLevel: 2 });
    expect(lengthFinding(spc2)?.fix).toBeUndefined();
    expect(spc2.corrected && formatHex(spc2.corrected.cdb)).toBe('12 00 00 00 24 00');
    expect(spc2.corrected?.transferLength).toBe(36);
  });

  it('says ALLOCATION LENGTH, not CDB length, and names case 5 for a length past the buffer', () => {
    const small = lengthFinding(lintCdb({ cdb: hex('12 00 00 00 24 00'), dataIn: 512 }));
    expect(small?.why).not.toMatch(/CDB length/);
    expect(small?.why).toMatch(/at most the length its CDB asks for/);
    expect(small?.fix?.description).toBe(
      'make the transfer 36 bytes in to match ALLOCATION LENGTH',
    );
    const large = lengthFinding(lintCdb({ cdb: hex('12 00 00 24 00 00'), dataIn: 512 }));
    expect(large?.severity).toBe('info');
    expect(large?.why).toMatch(/Bulk-Only case 5 \(Hi > Di\)/);
  });
});

describe('lintCdb: CDB length', () => {
  it('warns about a zero-padded 16-byte TEST UNIT READY and truncates it', () => {
    const r = lintCdb({ cdb: hex('00'.repeat(16)) });
    const f = r.findings.find((x) => x.id === 'cdb-length');
    expect(f?.severity).toBe('warning');
    expect(f?.fix?.cdb.length).toBe(6);
  });

  it('is an error when the extra bytes are not zero', () => {
    const r = lintCdb({ cdb: hex('00 00 00 00 00 00 01') });
    expect(r.findings.find((x) => x.id === 'cdb-length')?.severity).toBe('error');
  });

  it("reads an API's fixed 16-byte CDB buffer as padding: zero is right, anything else an error", () => {
    const padded = lintCdb({
      cdb: hex('12 00 00 00 24 00' + ' 00'.repeat(10)),
      cdbBufferLength: 16,
    });
    const f = padded.findings.find((x) => x.id === 'cdb-length');
    expect(f).toMatchObject({ severity: 'info', byte: 6, position: 'bytes 6–15' });
    expect(f?.fix).toBeUndefined();
    const dirty = hex('12 00 00 00 24 00' + ' 00'.repeat(10));
    dirty[9] = 0x5a;
    const g = lintCdb({ cdb: dirty, cdbBufferLength: 16 }).findings.find(
      (x) => x.id === 'cdb-length',
    );
    expect(g?.severity).toBe('error');
    expect(g?.message).toMatch(/bytes 6–15 of the 16-byte CDB buffer are not zero/);
    // The fix keeps the buffer's size: the API cannot send fewer bytes.
    expect(g?.fix && formatHex(g.fix.cdb)).toBe('12 00 00 00 24 00' + ' 00'.repeat(10));
    // Fewer bytes given than the buffer holds are its start: padding too, never "send fewer".
    const twelve = lintCdb({
      cdb: hex('28 00 00 00 00 00 00 00 01 00 00 05'),
      cdbBufferLength: 16,
    }).findings.find((x) => x.id === 'cdb-length');
    expect(twelve?.message).toBe(
      'READ(10) is a 10-byte CDB, but bytes 10–11 of the 16-byte CDB buffer are not zero.',
    );
    expect(twelve?.fix && formatHex(twelve.fix.cdb)).toBe('28 00 00 00 00 00 00 00 01 00 00 00');
    expect(
      lintCdb({ cdb: hex('12 00 00 00 24 00 00'), cdbBufferLength: 16 }).findings.find(
        (x) => x.id === 'cdb-length',
      )?.severity,
    ).toBe('info');
    // Past the buffer, or with no API buffer, a CDB is judged as sent.
    expect(
      lintCdb({ cdb: hex('12 00 00 00 24 00 00') }).findings.find((x) => x.id === 'cdb-length')?.fix
        ?.cdb,
    ).toHaveLength(6);
  });

  it('pads a short CDB and says which bytes are missing', () => {
    const r = lintCdb({ cdb: hex('12 00 00') });
    const f = r.findings.find((x) => x.id === 'cdb-length');
    expect(f?.message).toContain('bytes 3–5 are missing');
    expect(f?.fix?.cdb.length).toBe(6);
  });

  it('names a single byte as "byte N", not "bytes N–N"', () => {
    const finding = (text: string, extra: Partial<Parameters<typeof lintCdb>[0]> = {}) =>
      lintCdb({ cdb: hex(text), ...extra }).findings.find(
        (x) => x.id === 'cdb-length' || x.id === 'cdb-too-long',
      );
    expect(finding('12 00 00 00 24')?.message).toMatch(
      /only 5 bytes are given; byte 5 is missing\.$/,
    );
    expect(finding('12 00 00 00 24 00 05')).toMatchObject({ position: 'byte 6' });
    expect(finding('12 00 00 00 24 00 05')?.message).toMatch(/, and byte 6 is not zero\.$/);
    expect(finding('00'.repeat(17))?.position).toBe('byte 16');
    expect(finding('12 00 00 00 24 00 00', { cdbBufferLength: 16 })?.message).toMatch(
      /; byte 6 of the 16-byte CDB buffer is zero padding, as it must be\.$/,
    );
  });

  it('rejects an empty CDB and one longer than 16 bytes', () => {
    expect(ids('')).toEqual(['cdb-empty']);
    expect(ids('00'.repeat(17))).toContain('cdb-too-long');
  });
});

describe('lintCdb: other rules', () => {
  it('names vendor opcodes and warns when they carry data-out', () => {
    const r = ids('c0 00 00 00 00 00 00 00 00 00', { dataOut: 4096 });
    expect(r).toContain('vendor-opcode');
    expect(r).toContain('destructive');
    expect(ids('c0 00 00 00 00 00 00 00 00 00')).not.toContain('destructive');
  });

  it('names a reserved opcode group', () => {
    const r = lintCdb({ cdb: hex('60 00 00 00 00 00 00 00 00 00') });
    expect(r.findings[0]?.id).toBe('unknown-opcode');
    expect(r.findings[0]?.severity).toBe('warning');
  });

  it('flags SCSI-2 LUN bits and clears them', () => {
    const r = lintCdb({ cdb: hex('00 20 00 00 00 00'), lun: 1 });
    const f = r.findings.find((x) => x.id === 'scsi2-lun');
    expect(f?.message).toContain('the same LUN the transport addresses');
    expect(f?.fix && formatHex(f.fix.cdb)).toBe('00 00 00 00 00 00');
  });

  it('flags reserved bits with their mask and clears them', () => {
    const r = lintCdb({ cdb: hex('00 00 00 04 00 00') });
    const f = r.findings.find((x) => x.id === 'reserved-bits');
    expect(f?.byte).toBe(3);
    expect(f?.mask).toBe(0x04);
    expect(f?.fix && formatHex(f.fix.cdb)).toBe('00 00 00 00 00 00');
  });

  it('flags obsolete CMDDT in INQUIRY and NACA in the CONTROL byte', () => {
    expect(ids('12 02 00 00 24 00')).toContain('obsolete-field');
    expect(ids('12 00 00 00 24 04')).toContain('naca');
  });

  it('flags a LUN that BOT cannot address', () => {
    expect(ids('00 00 00 00 00 00', { lun: 16 })).toContain('lun-range');
  });

  it('flags a data phase the CDB does not have, and a missing one it does', () => {
    expect(ids('00 00 00 00 00 00', { dataIn: 512 })).toContain('length-vs-buffer');
    const r = lintCdb({ cdb: hex('12 00 00 00 24 00'), dataIn: 0 });
    expect(r.findings.find((x) => x.id === 'length-vs-buffer')?.severity).toBe('error');
  });

  it('flags data-out for a data-in command as a direction mismatch', () => {
    expect(ids('12 00 00 00 24 00', { dataOut: 36 })).toContain('direction-mismatch');
  });
});

describe('rule table', () => {
  it('has unique ids, each with a summary', () => {
    const all = RULES.map((r) => r.id);
    expect(new Set(all).size).toBe(all.length);
    for (const r of RULES) expect(r.summary.length).toBeGreaterThan(10);
  });
});

describe('lintCdb: rules fire for other commands too', () => {
  it('warns on a reserved SELECT REPORT and lets a vendor-specific one pass (SPC-5, REPORT LUNS)', () => {
    const f = lintCdb({ cdb: hex('a0 00 03 00 00 00 00 00 00 40 00 00'), dataIn: 64 }).findings;
    expect(f.map((x) => [x.id, x.byte])).toEqual([['field-value', 2]]);
    expect(f[0]?.message).toMatch(
      /is 03h, which is not a defined value .*F0h–FFh vendor specific\)\.$/,
    );
    expect(ids('a0 00 f3 00 00 00 00 00 00 40 00 00', { dataIn: 64 })).toEqual([]);
    expect(ids('a0 00 13 00 00 00 00 00 00 40 00 00', { dataIn: 64 })).toEqual(['field-value']);
  });

  it('valueRuns keeps a value with a note apart from its neighbours of the same name', () => {
    expect(
      valueRuns([
        { value: 2, name: 'reserved' },
        { value: 3, name: 'reserved', note: 'obsolete' },
        { value: 4, name: 'reserved', note: 'obsolete' },
      ]),
    ).toEqual([
      { values: '02h', name: 'reserved', note: undefined },
      { values: '03h–04h', name: 'reserved', note: 'obsolete' },
    ]);
  });

  it('valuesText names runs of one name as a range', () => {
    expect(
      valuesText([
        { value: 0, name: 'a' },
        { value: 1, name: 'b' },
        { value: 2, name: 'b' },
        { value: 3, name: 'b' },
        { value: 5, name: 'b' },
      ]),
    ).toBe('00h a, 01h–03h b, 05h b');
  });

  it('names the fixed size of a data phase no field states (READ CAPACITY(10): 8 bytes, SBC-4)', () => {
    for (const [dataIn, text] of [
      [
        512,
        'The host expects 512 bytes data-in, but READ CAPACITY(10) asks for 8 bytes from the device',
      ],
      [
        4,
        'The host expects 4 bytes data-in, but READ CAPACITY(10) asks for 8 bytes from the device',
      ],
    ] as const) {
      const f = lintCdb({ cdb: hex('25 00 00 00 00 00 00 00 00 00'), dataIn }).findings[0];
      expect(f?.message.startsWith(text), f?.message).toBe(true);
    }
  });

  it('notes that READ(6) with length 0 reads 256 blocks', () => {
    const r = lintCdb({ cdb: hex('08 00 00 00 00 00'), dataIn: 256 * 512 });
    expect(r.findings.map((f) => f.id)).toEqual(['zero-means']);
  });

  it('flags INQUIRY with a PAGE CODE but no EVPD, which a device refuses, and offers EVPD=1', () => {
    const r = lintCdb({ cdb: hex('12 00 80 00 24 00'), dataIn: 36 });
    const f = r.findings.find((x) => x.id === 'zero-unless');
    expect(f?.severity).toBe('error');
    expect(f?.byte).toBe(2);
    expect(f?.message).toBe(
      'PAGE CODE (byte 2) is 80h while EVPD (byte 1 bit 0) is 0: INQUIRY takes a nonzero PAGE CODE only with EVPD 1.',
    );
    expect(f?.fix && formatHex(f.fix.cdb)).toBe('12 01 80 00 24 00');
    expect(ids('12 01 80 00 24 00', { dataIn: 36 })).not.toContain('zero-unless');
    expect(ids('12 00 00 00 24 00', { dataIn: 36 })).not.toContain('zero-unless');
    // SPC-2's layout reads byte 2 with CMDDT too (the opcode whose support data is asked for),
    // and refuses it with both bits zero, as SPC-5 does.
    expect(ids('12 02 12 00 24 00', { dataIn: 36, spcLevel: 2 })).not.toContain('zero-unless');
    const spc2 = lintCdb({ cdb: hex('12 00 80 00 24 00'), dataIn: 36, spcLevel: 2 });
    expect(spc2.findings.find((x) => x.id === 'zero-unless')?.message).toBe(
      'PAGE CODE (byte 2) is 80h while EVPD (byte 1 bit 0) is 0 and CMDDT (byte 1 bit 1) is 0: INQUIRY takes a nonzero PAGE CODE only with EVPD 1 or CMDDT 1.',
    );
  });

  it('checks block-unit lengths with the given or assumed block size', () => {
    const assumed = lintCdb({ cdb: hex('28 00 00 00 00 00 00 00 02 00'), dataIn: 512 });
    const f = assumed.findings.find((x) => x.id === 'length-vs-buffer');
    expect(f?.message).toMatch(/2 × 512-byte blocks, block size assumed/);
    expect(f?.fix && formatHex(f.fix.cdb)).toBe('28 00 00 00 00 00 00 00 01 00');
    expect(
      lintCdb({ cdb: hex('28 00 00 00 00 00 00 00 02 00'), dataIn: 8192, blockSize: 4096 })
        .findings,
    ).toEqual([]);
  });

  it('warns about destructive commands and notes state changes', () => {
    expect(ids('2a 00 00 00 00 00 00 00 01 00', { dataOut: 512 })).toEqual(['destructive']);
    expect(ids('1b 00 00 00 01 00')).toEqual(['changes-state']);
  });

  it('flags undefined and noted enumerated values', () => {
    const r = lintCdb({ cdb: hex('3b 03 00 00 00 00 00 00 00 00') });
    expect(r.findings.find((f) => f.id === 'field-value')?.message).toMatch(
      /MODE \(byte 1 bits 4:0\) is 03h, which is not a defined value/,
    );
    const obsoleteMode = lintCdb({ cdb: hex('3b 00 00 00 00 00 00 00 00 00') });
    expect(obsoleteMode.findings.find((f) => f.id === 'field-value')?.message).toMatch(
      /combined header and data: obsolete/,
    );
    expect(ids('a0 00 00 00 00 00 00 00 00 08 00 00')).toContain('field-value');
    // SPC-5 made WRITE BUFFER's expander communications modes obsolete, as sg_write_buffer -m lists.
    for (const mode of ['1a', '1b'])
      expect(
        lintCdb({ cdb: hex(`3b ${mode} 00 00 00 00 00 00 00 00`) }).findings.find(
          (f) => f.id === 'field-value',
        )?.message,
      ).toMatch(/expander communications protocol.*: obsolete/);
  });

  it('flags obsolete fields in READ CAPACITY(10) and clears them', () => {
    const r = lintCdb({ cdb: hex('25 00 00 00 00 10 00 00 01 00') });
    expect(r.findings.filter((f) => f.id === 'obsolete-field').map((f) => f.field)).toEqual([
      'LOGICAL BLOCK ADDRESS',
      'PMI',
    ]);
    expect(r.corrected && formatHex(r.corrected.cdb)).toBe('25 00 00 00 00 00 00 00 00 00');
  });

  it("takes FORMAT UNIT's byte 4 bits 1:0 as FFMT (SBC-4), not an obsolete field: the CDB sg_format --ffmt=1 sends", () => {
    const r = lintCdb({ cdb: hex('04 00 00 00 01 00') });
    expect(r.findings.map((f) => f.id)).toEqual(['destructive']);
    // Byte 3 is still obsolete (the former INTERLEAVE's high byte) and FFMT 11b is reserved.
    expect(ids('04 00 00 01 00 00')).toContain('obsolete-field');
    expect(ids('04 00 00 00 03 00')).toContain('field-value');
  });

  it("takes SANITIZE's byte 1 bit 6 as ZNR (SBC-4), not a reserved bit: the CDB sg_sanitize --block --znr --early sends", () => {
    expect(ids('48 c2 00 00 00 00 00 00 00 00')).toEqual(['destructive']);
  });

  it('checks COMPARE AND WRITE data-out as twice NUMBER OF LOGICAL BLOCKS (SBC-4): the verify data, then the write data', () => {
    // sg_compare_and_write --lba=0x10 --num=1: one block to compare and one to write, 1024 bytes.
    const caw = '89 00 00 00 00 00 00 00 00 10 00 00 00 01 00 00';
    expect(ids(caw, { dataOut: 1024 })).toEqual(['destructive']);
    const short = lintCdb({ cdb: hex(caw), dataOut: 512 }).findings.find(
      (f) => f.id === 'length-vs-buffer',
    );
    expect(short?.message).toMatch(
      /asks for NUMBER OF LOGICAL BLOCKS \(byte 13\) = 1024 bytes \(2 × 512-byte blocks, block size assumed\) to the device/,
    );
  });

  it('fixes COMPARE AND WRITE to the NUMBER OF LOGICAL BLOCKS a buffer holds twice over, never to a count it does not', () => {
    const lengthFinding = (cdb: string, dataOut: number) =>
      lintCdb({ cdb: hex(cdb), dataOut }).findings.find((f) => f.id === 'length-vs-buffer');
    // 4 blocks asked for, 1024 bytes given: one block to compare and one to write.
    const four = lengthFinding('89 00 00 00 00 00 00 00 00 10 00 00 00 04 00 00', 1024);
    expect(four?.fix?.description).toMatch(/^set NUMBER OF LOGICAL BLOCKS to 1 /);
    expect(formatHex(four?.fix?.cdb ?? new Uint8Array())).toBe(
      '89 00 00 00 00 00 00 00 00 10 00 00 00 01 00 00',
    );
    // 512 bytes cannot hold one block twice: the fix is the buffer, not a CDB left as it was.
    const half = lengthFinding('89 00 00 00 00 00 00 00 00 10 00 00 00 01 00 00', 512);
    expect(half?.fix?.transferLength).toBe(1024);
  });

  it('calls UNMAP byte 1 bits 7:5 reserved, not SCSI-2 LUN bits: UNMAP arrived in SBC-3', () => {
    const r = lintCdb({ cdb: hex('42 20 00 00 00 00 00 00 18 00'), dataOut: 24 });
    expect(r.findings.map((f) => [f.id, f.byte])).toEqual([
      ['reserved-bits', 1],
      ['destructive', 0],
    ]);
  });

  it('takes READ BUFFER MODE 0Fh as read microcode status (SPC-5), not a reserved mode: sg_read_buffer -m 15', () => {
    const r = lintCdb({ cdb: hex('3c 0f 00 00 00 00 00 00 04 00'), dataIn: 4 });
    expect(r.findings).toEqual([]);
    expect(ids('3c 0e 00 00 00 00 00 00 04 00', { dataIn: 4 })).toEqual(['field-value']);
  });

  it('reads SECURITY PROTOCOL IN lengths in 512-byte units with INC_512', () => {
    expect(
      lintCdb({ cdb: hex('a2 01 00 01 80 00 00 00 00 02 00 00'), dataIn: 1024 }).findings,
    ).toEqual([]);
    expect(ids('a2 01 00 01 00 00 00 00 00 02 00 00', { dataIn: 1024 })).toContain(
      'length-vs-buffer',
    );
  });

  it('derives the ATA PASS-THROUGH data phase from T_DIR, BYT_BLOK and T_LENGTH', () => {
    const identify = '85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00';
    expect(ids(identify, { dataIn: 512 })).toEqual([]);
    expect(ids(identify, { dataOut: 512 })).toEqual(
      expect.arrayContaining(['direction-mismatch', 'destructive']),
    );
  });

  it('uses the SPC-2 layout for REQUEST SENSE DESC on an SPC-2 device', () => {
    expect(ids('03 01 00 00 12 00', { spcLevel: 2 })).toContain('layout-ambiguity');
    expect(ids('03 01 00 00 12 00', { spcLevel: 5 })).not.toContain('reserved-bits');
  });
});

describe('ATA PASS-THROUGH(16) judged by the ATA command it carries', () => {
  it('notes SMART ENABLE OPERATIONS as a change of state, not a destruction', () => {
    // B0h/D8h, LBA mid/high 4Fh/C2h (ACS-4 SMART), non-data.
    expect(ids('85 06 20 00 d8 00 00 00 00 00 4f 00 c2 00 b0 00')).toEqual(['changes-state']);
  });
});

describe('transfer-range', () => {
  it("is an error past dCBWDataTransferLength's 32 bits, either way", () => {
    for (const host of [{ dataIn: 2 ** 32 }, { dataOut: 2 ** 32 + 512 }]) {
      const f = lintCdb({ cdb: hex('28 00 00 00 00 00 00 00 01 00'), ...host }).findings;
      const bytes = host.dataIn ?? host.dataOut;
      expect(f[0]).toMatchObject({
        id: 'transfer-range',
        severity: 'error',
        message: `A host transfer of ${bytes} bytes cannot be sent over USB mass storage.`,
      });
    }
    const ids = (dataIn: number): string[] =>
      lintCdb({ cdb: hex('28 00 00 00 00 00 00 00 01 00'), dataIn }).findings.map((x) => x.id);
    expect(ids(2 ** 32 - 1)).not.toContain('transfer-range');
  });
});

describe('lun-range', () => {
  it("is an error past bCBWLUN's 4 bits, and past the device's Get Max LUN when that is known", () => {
    expect(lintCdb({ cdb: hex('00 00 00 00 00 00'), lun: 16 }).findings[0]?.message).toBe(
      'LUN 16 cannot be addressed over USB mass storage.',
    );
    const past = lintCdb({ cdb: hex('00 00 00 00 00 00'), lun: 1, maxLun: 0 }).findings[0];
    expect(past).toMatchObject({ id: 'lun-range', severity: 'error' });
    expect(past?.message).toBe(
      'LUN 1 is past the highest this device has, 0 (its answer to Get Max LUN).',
    );
    expect(lintCdb({ cdb: hex('00 00 00 00 00 00'), lun: 1, maxLun: 1 }).findings).toEqual([]);
    expect(lintCdb({ cdb: hex('00 00 00 00 00 00'), lun: 1 }).findings).toEqual([]);
  });
});

describe('field-value: a number out of its range', () => {
  it('says the bound it breaks, with the value in decimal as the bound is', () => {
    const f = lintCdb({ cdb: hex('a0 00 00 00 00 00 00 00 00 08 00 00') }).findings.find(
      (x) => x.id === 'field-value',
    );
    expect(f?.message).toBe(
      'ALLOCATION LENGTH (bytes 6–9) is 08h = 8, below 16, the least it may be.',
    );
  });
});

describe('length-vs-buffer: a length field of 0', () => {
  it('asks for the buffer in the field rather than dropping the data phase', () => {
    const f = lintCdb({ cdb: hex('12 00 00 00 00 00'), dataIn: 36 }).findings.find(
      (x) => x.id === 'length-vs-buffer',
    );
    expect(f?.message).toMatch(
      /INQUIRY's ALLOCATION LENGTH \(bytes 3–4\) is 0, so it asks for no data/,
    );
    expect(f?.fix && formatHex(f.fix.cdb)).toBe('12 00 00 00 24 00');
    expect(f?.fix?.transferLength).toBeUndefined();
  });

  it("caps the field at its width (SPC-2's one-byte INQUIRY length) and counts blocks for READ(10)", () => {
    const spc2 = lintCdb({ cdb: hex('12 00 00 00 00 00'), dataIn: 512, spcLevel: 2 }).findings;
    expect(spc2.find((x) => x.id === 'length-vs-buffer')?.fix?.description).toMatch(
      /^set ALLOCATION LENGTH to 255/,
    );
    const read = lintCdb({
      cdb: hex('28 00 00 00 00 00 00 00 00 00'),
      dataIn: 4096,
      blockSize: 512,
    });
    expect(read.corrected && formatHex(read.corrected.cdb)).toBe('28 00 00 00 00 00 00 00 08 00');
  });

  it('still offers no data phase for a command that has none', () => {
    const f = lintCdb({ cdb: hex('00 00 00 00 00 00'), dataIn: 36 }).findings.find(
      (x) => x.id === 'length-vs-buffer',
    );
    expect(f?.fix).toMatchObject({ transferLength: 0 });
    expect(f?.message).toMatch(/TEST UNIT READY has no data phase/);
  });
});

describe('no-data-phase', () => {
  const read10 = Uint8Array.from([0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0]);

  it('is an error with a fix when the host set up no data phase for a CDB that moves data', () => {
    const r = lintCdb({ cdb: read10, noDataPhase: true, blockSize: 4096 });
    const f = r.findings.find((x) => x.id === 'no-data-phase');
    expect(f).toMatchObject({ severity: 'error', byte: 7, field: 'TRANSFER LENGTH' });
    expect(f?.message).toBe(
      'READ(10) moves 4096 bytes from the device (1 × 4096-byte blocks), but the direction is none.',
    );
    expect(r.corrected).toMatchObject({ transferLength: 4096, direction: 'in' });
  });

  it('says the block size was assumed when it was', () => {
    const f = lintCdb({ cdb: read10, noDataPhase: true }).findings[0];
    expect(f?.message).toMatch(/1 × 512-byte blocks, block size assumed 512/);
  });

  it('is quiet for a CDB without data, and when the host side is not stated', () => {
    expect(lintCdb({ cdb: new Uint8Array(6), noDataPhase: true }).findings).toEqual([]);
    expect(lintCdb({ cdb: read10 }).findings.map((f) => f.id)).not.toContain('no-data-phase');
  });
});
