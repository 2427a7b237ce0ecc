import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHex } from '../../../shared/scsi/hex';
import {
  codesWithAsc,
  decodeSense,
  descriptorName,
  encodeDescriptorSense,
  encodeFixedSense,
  explainSense,
  lookupAsc,
  SENSE_KEYS,
  senseKeyInfo,
  type SenseData,
} from '../../../shared/scsi/sense';
import {
  ASC_ENTRIES,
  ASC_LINES_PARSED,
  ASC_RANGES,
  ASC_UNASSIGNED,
} from '../../../shared/scsi/sense/asc-table.generated';
import { ASC_ADVICE } from '../../../shared/scsi/sense/advice';

function hex(t: string): Uint8Array {
  const r = parseHex(t);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function sense(t: string): SenseData {
  const r = decodeSense(hex(t));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('the generated ASC/ASCQ table', () => {
  it('holds every line of data/t10/asc-num.txt', () => {
    const text = readFileSync('data/t10/asc-num.txt', 'latin1');
    const lines = text.split(/\r?\n/).filter((l) => /^[0-9A-F]{2}h\/(?:[0-9A-F]{2}|NN)h/.test(l));
    expect(ASC_LINES_PARSED).toBe(lines.length);
    expect(ASC_ENTRIES.length + ASC_RANGES.length + ASC_UNASSIGNED.length).toBe(lines.length);
  });

  it('has the codes USB storage meets', () => {
    expect(lookupAsc(0x20, 0x00).text).toBe('INVALID COMMAND OPERATION CODE');
    expect(lookupAsc(0x24, 0x00).text).toBe('INVALID FIELD IN CDB');
    expect(lookupAsc(0x3a, 0x00).text).toBe('MEDIUM NOT PRESENT');
    expect(lookupAsc(0x29, 0x00).text).toBe('POWER ON, RESET, OR BUS DEVICE RESET OCCURRED');
    expect(lookupAsc(0x29, 0x00).devices).toContain('D');
  });

  it('fills ASCQ ranges, names vendor-specific codes and reserved ones', () => {
    expect(lookupAsc(0x40, 0x85)).toMatchObject({
      kind: 'range',
      text: 'DIAGNOSTIC FAILURE ON COMPONENT 85h',
    });
    expect(lookupAsc(0x40, 0x00).kind).toBe('standard');
    expect(lookupAsc(0x8a, 0x01)).toMatchObject({ kind: 'vendor' });
    // Not ASCQ 00h's meaning: 04h/00h says the cause is not reportable, 04h/80h reports one.
    expect(lookupAsc(0x24, 0x85).text).toBe('VENDOR SPECIFIC ASCQ 85h of ASC 24h');
    expect(lookupAsc(0x04, 0x80).text).toBe('VENDOR SPECIFIC ASCQ 80h of ASC 04h');
    expect(lookupAsc(0x75, 0x00).kind).toBe('reserved');
  });
});

describe('sense keys', () => {
  it('has sixteen keys, each with a meaning and an action', () => {
    expect(SENSE_KEYS).toHaveLength(16);
    SENSE_KEYS.forEach((k, i) => {
      expect(k.key).toBe(i);
      expect(k.meaning.length).toBeGreaterThan(10);
    });
    expect(senseKeyInfo(0x15).name).toBe('ILLEGAL REQUEST');
  });

  it('calls key Ch obsolete, as SPC-5 lists it, and names its code once in the headline', () => {
    const e = explainSense(sense('70 00 0c 00 00 00 00 0a 00 00 00 00 00 00 00 00 00 00'));
    expect(e.headline).toBe('OBSOLETE (Ch), 00h/00h NO ADDITIONAL SENSE INFORMATION');
    expect(e.details[0]).toMatch(/^OBSOLETE: a key T10 made obsolete \(it was EQUAL\)/);
  });
});

describe('decodeSense: fixed format', () => {
  it('decodes the report sense (70/05/20/00)', () => {
    const s = sense('70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00 00 00');
    expect(s).toMatchObject({
      format: 'fixed',
      deferred: false,
      senseKey: 5,
      asc: 0x20,
      ascq: 0,
      truncated: false,
      information: undefined,
    });
  });

  it('reads VALID/INFORMATION, flags, command-specific information and FRU', () => {
    const s = sense('f0 00 e3 00 00 12 34 0a 00 00 00 07 11 00 42 00 00 00');
    expect(s).toMatchObject({
      senseKey: 3,
      filemark: true,
      eom: true,
      ili: true,
      information: 0x1234n,
      commandSpecific: 7n,
      fru: 0x42,
      asc: 0x11,
    });
  });

  it('flags deferred errors (71h)', () => {
    expect(sense('71 00 03 00 00 00 00 0a 00 00 00 00 0c 00 00 00 00 00').deferred).toBe(true);
  });

  it('decodes each sense-key specific layout', () => {
    expect(sense('70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 cb 00 03').senseKeySpecific).toEqual(
      { kind: 'field-pointer', inCdb: true, bitPointerValid: true, bitPointer: 3, fieldPointer: 3 },
    );
    expect(
      sense('70 00 05 00 00 00 00 0a 00 00 00 00 26 00 00 80 00 05').senseKeySpecific,
    ).toMatchObject({
      kind: 'field-pointer',
      inCdb: false,
      bitPointerValid: false,
      fieldPointer: 5,
    });
    expect(
      sense('70 00 02 00 00 00 00 0a 00 00 00 00 04 04 00 80 80 00').senseKeySpecific,
    ).toMatchObject({ kind: 'progress', percent: 50 });
    expect(sense('70 00 03 00 00 00 00 0a 00 00 00 00 11 00 00 80 00 07').senseKeySpecific).toEqual(
      { kind: 'retry-count', count: 7 },
    );
    expect(
      sense('70 00 0a 00 00 00 00 0a 00 00 00 00 0d 00 00 a8 00 09').senseKeySpecific,
    ).toMatchObject({
      kind: 'segment-pointer',
      segmentDescriptor: true,
      bitPointerValid: true,
      fieldPointer: 9,
    });
    expect(sense('70 00 06 00 00 00 00 0a 00 00 00 00 29 00 00 81 00 00').senseKeySpecific).toEqual(
      { kind: 'unit-attention-overflow', overflow: true },
    );
    expect(
      sense('70 00 07 00 00 00 00 0a 00 00 00 00 27 00 00 80 01 02').senseKeySpecific,
    ).toMatchObject({ kind: 'unspecified' });
    // SKSV clear: no sense-key specific information.
    expect(
      sense('70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 40 00 03').senseKeySpecific,
    ).toBeUndefined();
  });

  it('decodes what a truncated buffer holds and says it was truncated', () => {
    const s = sense('70 00 05 00 00 00 00 0a 00 00 00 00 24');
    expect(s).toMatchObject({
      truncated: true,
      asc: 0x24,
      ascq: undefined,
      claimedLength: 18,
      length: 13,
    });
  });

  it('does not read fields beyond the additional sense length', () => {
    const s = sense('70 00 05 00 00 00 00 04 00 00 00 00 24 00 00 cb 00 03');
    expect(s.claimedLength).toBe(12);
    expect(s.asc).toBeUndefined();
    expect(s.senseKeySpecific).toBeUndefined();
  });
});

describe('decodeSense: descriptor format', () => {
  it('decodes information, command-specific, SKS, FRU, stream and block descriptors', () => {
    const s = sense(
      '72 05 24 00 00 00 00 2c ' +
        '00 0a 80 00 00 00 00 00 00 00 12 34 ' +
        '01 0a 00 00 00 00 00 00 00 00 00 09 ' +
        '02 06 00 00 c9 00 04 00 ' +
        '03 02 00 77 ' +
        '04 02 00 c0 ' +
        '05 02 00 20',
    );
    expect(s).toMatchObject({
      format: 'descriptor',
      senseKey: 5,
      asc: 0x24,
      ascq: 0,
      information: 0x1234n,
      commandSpecific: 9n,
      fru: 0x77,
      filemark: true,
      eom: true,
      ili: true,
    });
    expect(s.senseKeySpecific).toEqual({
      kind: 'field-pointer',
      inCdb: true,
      bitPointerValid: true,
      bitPointer: 1,
      fieldPointer: 4,
    });
    expect(s.descriptors.map((d) => d.type)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('decodes the ATA Status Return descriptor (SMART RETURN STATUS, threshold not exceeded)', () => {
    const s = sense('72 01 00 1d 00 00 00 0e 09 0c 00 00 00 01 00 00 00 4f 00 c2 a0 50');
    expect(s.ata).toEqual({
      extend: false,
      error: 0,
      count: 1,
      lba: 0xc24f00n,
      device: 0xa0,
      status: 0x50,
    });
    expect(explainSense(s).details.join(' ')).toMatch(/STATUS 50h, ERROR 00h/);
  });

  it('names unknown, vendor and known descriptor types and keeps them raw', () => {
    expect(descriptorName(0x0a)).toBe('Another progress indication');
    expect(descriptorName(0x85)).toMatch(/Vendor specific/);
    expect(descriptorName(0x20)).toMatch(/Reserved/);
    const s = sense('72 05 24 00 00 00 00 04 85 02 01 02');
    expect(s.descriptors[0]).toMatchObject({ type: 0x85, offset: 8 });
  });

  it('stops at a descriptor that runs past the buffer', () => {
    const s = sense('72 05 24 00 00 00 00 0c 00 0a 80 00');
    expect(s.truncated).toBe(true);
    expect(s.information).toBeUndefined();
  });

  it('flags deferred descriptor errors (73h)', () => {
    expect(sense('73 03 0c 00 00 00 00 00').deferred).toBe(true);
  });
});

describe('decodeSense: not sense data', () => {
  it('rejects empty buffers, zeroed buffers and other response codes, naming byte 0', () => {
    const empty = decodeSense(new Uint8Array());
    expect(empty.ok).toBe(false);
    const zero = decodeSense(new Uint8Array(18));
    expect(!zero.ok && zero.error.message).toMatch(/Byte 0 is 0x00.*all-zero/);
    const other = decodeSense(hex('12 00 00 00'));
    expect(!other.ok && other.error.code).toBe('not-sense');
  });

  it('rejects fixed sense too short to hold the key', () => {
    const r = decodeSense(hex('70 00'));
    expect(!r.ok && r.error.code).toBe('too-short');
  });

  it('accepts vendor-specific 7Fh sense and says so', () => {
    const s = sense('7f 01 02 03');
    expect(s.format).toBe('vendor');
    expect(explainSense(s).headline).toMatch(/vendor-specific/);
  });
});

describe('explainSense', () => {
  it('names the CDB field a field pointer points at, through the catalog', () => {
    const s = sense('70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 c8 00 04');
    const e = explainSense(s, { cdb: hex('12 00 00 01 24 00') });
    expect(e.pointer).toMatchObject({
      byte: 4,
      inCdb: true,
      fieldKey: 'allocationLength',
      fieldName: 'ALLOCATION LENGTH',
    });
    expect(e.details.join(' ')).toMatch(
      /CDB byte 4 bit 0 \(value 24h\): that is ALLOCATION LENGTH \(bytes 3–4\) of INQUIRY/,
    );
  });

  it('reads a refused bit by the older layout that has it reserved: the device reads that one', () => {
    const s = sense('70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 cd 00 03');
    const cdb = hex('12 00 00 24 00 00');
    const inferred = explainSense(s, { cdb });
    const told = explainSense(s, { cdb, standard: 'SPC-2' });
    const text = (e: typeof told) => e.details.find((d) => d.startsWith('The device objects'));
    expect(text(inferred)).toBe(
      'The device objects to CDB byte 3 bit 5 (value 24h): a reserved bit or byte of INQUIRY in SPC-2, which must be zero; SPC-5 has ALLOCATION LENGTH (bytes 3–4) there, a layout this device does not read.',
    );
    expect(text(told)).toBe(text(inferred));
    expect(inferred.pointer?.fieldName).toBeUndefined();
  });

  it('reads a refused value of any other field by the current layout: SUBPAGE CODE, DESC', () => {
    const invalidField = (byte: number, bit: number) =>
      sense(
        `70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 ${(0xc8 | bit).toString(16)} 00 0${byte}`,
      );
    const text = (e: ReturnType<typeof explainSense>) =>
      e.details.find((d) => d.startsWith('The device objects'));
    // MODE SENSE(6) asking for subpage 05h of page 3Fh; REQUEST SENSE with DESC=1.
    expect(text(explainSense(invalidField(3, 0), { cdb: hex('1a 00 3f 05 c0 00') }))).toMatch(
      /: that is SUBPAGE CODE \(byte 3\) of MODE SENSE\(6\)/,
    );
    expect(text(explainSense(invalidField(1, 0), { cdb: hex('03 01 00 00 fc 00') }))).toMatch(
      /: that is DESC \(byte 1 bit 0\) of REQUEST SENSE/,
    );
  });

  it('uses the SPC-2 layout when asked, where byte 3 is reserved', () => {
    const s = sense('70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 c8 00 03');
    const e = explainSense(s, { cdb: hex('12 00 00 24 00 00'), standard: 'SPC-2' });
    expect(e.pointer?.fieldName).toBeUndefined();
    expect(e.details.join(' ')).toMatch(/reserved bit or byte of INQUIRY/);
  });

  it('says a field pointer past the end of the command names nothing in it, not a reserved field', () => {
    const pointerTo = (byte: number) =>
      sense(
        `70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 c0 00 ${byte.toString(16).padStart(2, '0')}`,
      );
    const text = (e: ReturnType<typeof explainSense>) =>
      e.details.find((d) => d.startsWith('The device objects'));
    // INQUIRY is 6 bytes: byte 12 does not exist.
    const past = explainSense(pointerTo(12), { cdb: hex('12 00 00 00 24 00') });
    expect(text(past)).toBe(
      "The device objects to CDB byte 12, past the end of INQUIRY's 6-byte CDB: no field of the command is there. The device read a longer CDB than the command's (check the CDB length the CBW carries), or this sense answers another command.",
    );
    expect(past.action).toBe('check-transport');
    expect(past.pointer).toEqual({ byte: 12, inCdb: true });
    // A 10-byte CDB for INQUIRY: byte 7 was sent, but it is not INQUIRY's.
    const padded = explainSense(pointerTo(7), { cdb: hex('12 00 00 00 24 00 00 00 00 00') });
    expect(text(padded)).toMatch(
      /byte 7 \(value 00h\), past the end of INQUIRY's 6-byte CDB: .* The CDB given has 10 bytes and the device read past the command's own; send only its 6\./,
    );
    // The last byte is still the command's.
    expect(text(explainSense(pointerTo(5), { cdb: hex('12 00 00 00 24 00') }))).not.toMatch(
      /past the end/,
    );
  });

  it('without a bit pointer (BPV 0) names the byte and what it holds, not its first field', () => {
    const text = (byte: string, cdb: string) =>
      explainSense(sense(`70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 c0 00 ${byte}`), {
        cdb: hex(cdb),
      }).details.find((d) => d.startsWith('The device objects'));
    // INQUIRY's CONTROL byte with NACA (bit 2) set.
    expect(text('05', '12 00 00 00 24 04')).toBe(
      'The device objects to CDB byte 5 (value 04h), without a bit pointer (BPV 0), so it does not say which field: in INQUIRY that byte holds VENDOR SPECIFIC (CONTROL) (byte 5 bits 7:6), NACA (byte 5 bit 2), FLAG (byte 5 bit 1), LINK (byte 5 bit 0) and reserved bits 5,4,3. Nonzero in this CDB: NACA.',
    );
    // READ(10) byte 1: six fields, all zero here.
    const read10 = text('01', '28 00 00 00 00 00 00 00 01 00');
    expect(read10).toMatch(/in READ\(10\) that byte holds RDPROTECT \(byte 1 bits 7:5\), DPO/);
    expect(read10).toMatch(/Every bit of it is zero in this CDB\.$/);
    expect(read10).not.toMatch(/that is RDPROTECT/);
    // A byte one field fills alone is still named by it.
    expect(text('04', '12 00 00 00 24 00')).toMatch(/: that is ALLOCATION LENGTH \(bytes 3–4\)/);
  });

  it('points into parameter data when C/D is 0', () => {
    const e = explainSense(sense('70 00 05 00 00 00 00 0a 00 00 00 00 26 00 00 80 00 05'));
    expect(e.pointer).toEqual({ byte: 5, inCdb: false });
    expect(e.details.join(' ')).toMatch(/parameter-list \(data-out\) byte 5/);
  });

  it('gives each ASCQ advice true for it, not its ASC’s: a recovered write, a sanitized block, thin provisioning', () => {
    const advice = (key: string, asc: string, ascq: string) =>
      explainSense(sense(`70 00 ${key} 00 00 00 00 0a 00 00 00 00 ${asc} ${ascq} 00 00 00 00`))
        .advice;
    // RECOVERED ERROR 0Ch/01h: the write succeeded, so nothing says it failed.
    const recovered = advice('01', '0c', '01');
    expect(recovered.join(' ')).toMatch(/The write succeeded/);
    expect(recovered.join(' ')).not.toMatch(/failed|failing/);
    // 11h/15h: written, not re-read; the block is not bad.
    const sanitized = advice('03', '11', '15');
    expect(sanitized[0]).toMatch(/must be written before it can be read/);
    expect(sanitized.join(' ')).not.toMatch(/read again|consider it lost/);
    // 27h/07h is out of space, not a switch; 27h/01h is the switch.
    expect(advice('07', '27', '07')[0]).toMatch(/could not allocate space/);
    expect(advice('07', '27', '07').join(' ')).not.toMatch(/lock switch/);
    expect(advice('07', '27', '01')[0]).toMatch(/lock switch/);
    // A transport condition under 0Ch: not the medium.
    expect(advice('0b', '0c', '0d')[0]).toMatch(/transport condition, not the medium/);
    // An ASCQ with no row of its own gets the ASC-wide row, which holds for every ASCQ.
    expect(advice('07', '27', '05')[0]).toBe(
      'The unit refuses writes: the ASCQ names the write protection in force.',
    );
  });

  it('keys advice by codes T10 assigns, each ASC/ASCQ (or ASC-wide row) once', () => {
    const keys = ASC_ADVICE.map((a) => `${a.asc}/${a.ascq ?? '*'}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const a of ASC_ADVICE) {
      if (a.ascq === undefined) expect(codesWithAsc(a.asc).length).toBeGreaterThan(0);
      else expect(lookupAsc(a.asc, a.ascq).kind).toBe('standard');
    }
  });

  it('gives ASC-specific advice before the key action', () => {
    const e = explainSense(sense('70 00 02 00 00 00 00 0a 00 00 00 00 3a 00 00 00 00 00'));
    expect(e.advice[0]).toMatch(/no medium/);
    expect(e.action).toBe('wait-and-retry');
    expect(e.headline).toBe('NOT READY (2h), 3Ah/00h MEDIUM NOT PRESENT');
  });

  it('tells NOT READY apart by ASCQ: START STOP UNIT only where it helps, never the same line twice', () => {
    const advice = (ascq: string) =>
      explainSense(sense(`70 00 02 00 00 00 00 0a 00 00 00 00 04 ${ascq} 00 00 00 00`));
    // FORMAT UNIT, self-test, START STOP UNIT itself, SANITIZE: the operation must end.
    for (const ascq of ['04', '09', '1a', '1b']) {
      const e = advice(ascq);
      expect(e.advice.join(' ')).not.toMatch(/send START STOP UNIT/);
      expect(e.advice[0]).toMatch(/is running: .* until it ends/);
      expect(e.action).toBe('wait-and-retry');
    }
    const manual = advice('03');
    expect(manual.advice[0]).toMatch(/A person must act/);
    expect(manual.action).toBe('fatal');
    const initialize = advice('02');
    expect(initialize.advice[0]).toMatch(/send START STOP UNIT with START=1/);
    expect(initialize.action).toBe('retry');
    // NOTIFY (ENABLE SPINUP), microcode activation or download, and the resets and power cycle
    // the unit asks for: waiting clears none of them.
    for (const ascq of ['11', '1e', '1f', '20', '21', '22']) {
      const e = advice(ascq);
      expect(e.action).toBe('fatal');
      expect(e.advice.join(' ')).not.toMatch(/Wait for the unit/);
    }
    expect(advice('22').advice[0]).toMatch(/power cycle: unplug it/);
    for (const ascq of ['00', '01', '02', '03', '04', '09', '1a', '1b', '22']) {
      const lines = advice(ascq).advice;
      expect(new Set(lines.map((l) => l.replace(/\W+/g, ' ').toLowerCase())).size).toBe(
        lines.length,
      );
      expect(lines.filter((l) => /TEST UNIT READY until GOOD/.test(l))).toEqual([]);
    }
  });

  it('explains deferred errors, progress, retries and truncation', () => {
    expect(
      explainSense(sense('71 00 03 00 00 00 00 0a 00 00 00 00 0c 00 00 00 00 00')).details.join(
        ' ',
      ),
    ).toMatch(/DEFERRED/);
    expect(
      explainSense(sense('70 00 02 00 00 00 00 0a 00 00 00 00 04 04 00 80 40 00')).details.join(
        ' ',
      ),
    ).toMatch(/25\.0% done/);
    expect(
      explainSense(sense('70 00 01 00 00 00 00 0a 00 00 00 00 17 01 00 80 00 02')).details.join(
        ' ',
      ),
    ).toMatch(/retried 2 times/);
    expect(explainSense(sense('70 00 05 00 00 00 00 0a')).details.join(' ')).toMatch(
      /claims 18 bytes but only 8/,
    );
  });
});

describe('encoders', () => {
  it('round-trip fixed and descriptor sense', () => {
    const fields = {
      key: 5,
      asc: 0x24,
      ascq: 0,
      information: 0x99n,
      fru: 3,
      senseKeySpecific: {
        kind: 'field-pointer' as const,
        inCdb: true,
        bitPointerValid: false,
        bitPointer: 0,
        fieldPointer: 2,
      },
    };
    for (const bytes of [encodeFixedSense(fields), encodeDescriptorSense(fields)]) {
      const s = decodeSense(bytes);
      expect(s.ok && s.value).toMatchObject({
        senseKey: 5,
        asc: 0x24,
        ascq: 0,
        information: 0x99n,
        fru: 3,
        senseKeySpecific: fields.senseKeySpecific,
      });
    }
    expect(encodeFixedSense(fields)).toHaveLength(18);
  });

  it('encode deferred errors and flags', () => {
    const f = sense(
      Array.from(encodeFixedSense({ key: 3, asc: 0x0c, ascq: 0, deferred: true, ili: true }), (b) =>
        b.toString(16).padStart(2, '0'),
      ).join(' '),
    );
    expect(f).toMatchObject({ deferred: true, ili: true });
    const d = decodeSense(encodeDescriptorSense({ key: 0, asc: 0, ascq: 1, filemark: true }));
    expect(d.ok && d.value).toMatchObject({ deferred: false, filemark: true });
  });
});

describe('explainSense: overflow, an overrunning descriptor, progress near the end', () => {
  const details = (t: string) => explainSense(sense(t)).details.join('\n');

  it('reads SDAT_OVFL in both formats and says the sense was cut short', () => {
    expect(sense('72 03 11 00 80 00 00 00').senseDataOverflow).toBe(true);
    expect(sense('72 03 11 00 00 00 00 00').senseDataOverflow).toBe(false);
    expect(details('72 03 11 00 80 00 00 00')).toMatch(/\(SDAT_OVFL\): what is here is cut short/);
    expect(details('f0 00 f3 00 00 00 20 0a 00 00 00 00 11 00 00 00 00 00')).toMatch(/SDAT_OVFL/);
    expect(details('70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 00 00 00')).not.toMatch(
      /SDAT_OVFL/,
    );
  });

  it('tells a descriptor running past ADDITIONAL SENSE LENGTH from sense cut short by the buffer', () => {
    // ADDITIONAL SENSE LENGTH 8 claims 16 bytes; 20 came; the Information descriptor says 12 bytes.
    expect(details('72 03 11 00 00 00 00 08 00 0a 80 00 00 00 00 00 00 00 12 34')).toMatch(
      /A descriptor runs past the 16 bytes ADDITIONAL SENSE LENGTH claims/,
    );
    expect(details('72 03 11 00 00 00 00 0c 00 0a 80 00')).toMatch(
      /The sense claims 20 bytes but only 12 were returned/,
    );
  });

  it('rounds progress down: FFFFh of 65536 is not done', () => {
    expect(details('70 00 00 00 00 00 00 0a 00 00 00 00 00 16 00 80 ff ff')).toMatch(
      /Progress: 99\.9% done\./,
    );
    expect(details('70 00 00 00 00 00 00 0a 00 00 00 00 00 16 00 80 80 00')).toMatch(
      /Progress: 50\.0% done\./,
    );
  });
});

describe('explainSense: the Another Progress Indication descriptor (SPC-5, 0Ah)', () => {
  it('names the other operation and how far it has got; a short one stays hex', () => {
    // FORMAT IN PROGRESS, with another operation (04h/07h) at 8000h = 50 %.
    const e = explainSense(sense('72 02 04 04 00 00 00 08 0a 06 02 04 07 00 80 00'));
    expect(e.details).toContain(
      'Another operation is in progress: NOT READY, 04h/07h LOGICAL UNIT NOT READY, OPERATION IN PROGRESS, 50.0% done.',
    );
    const short = explainSense(sense('72 02 04 04 00 00 00 06 0a 04 02 04 07 00'));
    expect(short.details.join(' ')).toMatch(
      /Another progress indication descriptor: 0a 04 02 04 07 00\./i,
    );
  });
});

describe('decodeSense: the Direct-access block device descriptor (SBC-4, 0Dh)', () => {
  it('reads its VALID, ILI, sense-key specific, FRU, INFORMATION and COMMAND-SPECIFIC fields', () => {
    // MEDIUM ERROR 11h/00h; 0Dh, additional length 16h: VALID and ILI (A0h), SKSV with 3 retries,
    // FRU 21h, INFORMATION 1000h, COMMAND-SPECIFIC INFORMATION 77h.
    const s = sense(
      '72 03 11 00 00 00 00 18 0d 16 a0 00 80 00 03 21 00 00 00 00 00 00 10 00 00 00 00 00 00 00 00 77',
    );
    expect(s).toMatchObject({
      information: 0x1000n,
      commandSpecific: 0x77n,
      fru: 0x21,
      ili: true,
      senseKeySpecific: { kind: 'retry-count', count: 3 },
    });
    const details = explainSense(s).details.join(' ');
    expect(details).toMatch(/INFORMATION = 4096 \(0x1000\)/);
    expect(details).not.toMatch(/Direct-access block device descriptor: 0d/);
    // VALID 0: INFORMATION holds nothing.
    const invalid = sense(
      '72 03 11 00 00 00 00 18 0d 16 20 00 00 00 00 00 00 00 00 00 00 00 10 00 00 00 00 00 00 00 00 00',
    );
    expect([invalid.information, invalid.ili, invalid.fru]).toEqual([undefined, true, undefined]);
  });
});

describe('explainSense: a standard descriptor shorter than its standard', () => {
  it('shows it and says it was not read, rather than dropping it', () => {
    // An Information descriptor with ADDITIONAL LENGTH 06h (SPC-5: 0Ah).
    const info = sense('72 03 11 00 00 00 00 08 00 06 80 00 00 00 00 99');
    expect(info.information).toBeUndefined();
    expect(explainSense(info).details).toContain(
      'Information descriptor: 00 06 80 00 00 00 00 99, not read: its ADDITIONAL LENGTH is 06h, shorter than the 0Ah its standard gives it.',
    );
    // A sense-key specific descriptor with 04h (SPC-5: 06h): no field pointer is made up from it.
    const sks = sense('72 05 24 00 00 00 00 07 02 04 00 00 c0 00 05');
    expect(sks.senseKeySpecific).toBeUndefined();
    expect(explainSense(sks).details.join(' ')).toMatch(
      /Sense key specific descriptor: 02 04 00 00 c0 00, not read: its ADDITIONAL LENGTH is 04h, shorter than the 06h/,
    );
  });
});

describe('explainSense: a sense that ends after its ASC', () => {
  it('keeps the ASC and lists what T10 assigns under it, ASCQ unknown', () => {
    const s = sense('70 00 05 00 00 00 00 0a 00 00 00 00 20');
    expect(s.asc).toBe(0x20);
    expect(s.ascq).toBeUndefined();
    const e = explainSense(s);
    expect(e.headline).toBe('ILLEGAL REQUEST (5h), ASC 20h without its ASCQ');
    expect(e.details).toContain(
      `The sense ends after the ASC, so the ASCQ is unknown. With ASC 20h T10 lists ASCQ 00h INVALID COMMAND OPERATION CODE; 01h ${lookupAsc(0x20, 1).text}; 02h ${lookupAsc(0x20, 2).text}, and ${codesWithAsc(0x20).length - 3} more.`,
    );
  });

  it('says when ADDITIONAL SENSE LENGTH, not the buffer, ends it', () => {
    const e = explainSense(sense('70 00 02 00 00 00 00 05 00 00 00 00 04 01'));
    expect(e.details.join(' ')).toMatch(
      /^.*ADDITIONAL SENSE LENGTH \(5\) ends the sense after the ASC; the bytes returned past it are not sense data, so the ASCQ is unknown\./,
    );
  });

  it('reads a descriptor-format header cut short as that, not as a descriptor overrun', () => {
    const s = sense('72 05 20');
    expect(s.truncated).toBe(false);
    expect(explainSense(s).details.join(' ')).not.toMatch(/descriptor runs past/);
    expect(codesWithAsc(0x20)[0]).toEqual({
      from: 0,
      to: 0,
      text: 'INVALID COMMAND OPERATION CODE',
    });
    expect(codesWithAsc(0x0f)).toEqual([]); // an ASC T10 left unassigned
  });

  it('lists the NNh ranges T10 assigns under the ASC, and calls ASC 80h–FFh vendor specific', () => {
    const details = (hex: string): string => explainSense(sense(hex)).details.join(' ');
    // asc-num.txt: 4Dh/NNh TAGGED OVERLAPPED COMMANDS, 70h/NNh DECOMPRESSION EXCEPTION ….
    expect(details('70 00 0b 00 00 00 00 05 00 00 00 00 4d')).toMatch(
      /With ASC 4Dh T10 lists ASCQ 00h–FFh TAGGED OVERLAPPED COMMANDS \(NN = TASK TAG\)\./,
    );
    expect(details('72 03 70')).toMatch(
      /With ASC 70h T10 lists ASCQ 00h–FFh DECOMPRESSION EXCEPTION SHORT ALGORITHM ID OF NN\./,
    );
    // 40h/00h, then 40h/NNh (80h–FFh) DIAGNOSTIC FAILURE ON COMPONENT NN.
    expect(details('72 04 40')).toMatch(
      /With ASC 40h T10 lists ASCQ 00h RAM FAILURE \(SHOULD USE 40 NN\); 80h–FFh DIAGNOSTIC FAILURE ON COMPONENT NN\./,
    );
    expect(details('72 04 85')).toMatch(/ASC 85h is vendor specific whatever the ASCQ \(SPC-5\)/);
    expect(details('72 04 85')).not.toMatch(/T10 assigns no code/);
  });
});

describe('decodeSense: the ATA Status Return descriptor and EXTEND (SAT-4)', () => {
  // COUNT (15:8) and LBA (31:24), (39:32), (47:40) all FFh; the low halves 01h and 00h/4Fh/C2h.
  const ataSense = (extend: 0 | 1): SenseData =>
    sense(`72 01 00 1d 00 00 00 0e 09 0c 0${extend} 00 ff 01 ff 00 ff 4f ff c2 40 50`);

  it('reads only the 28-bit outputs when EXTEND is 0', () => {
    expect(ataSense(0).ata).toEqual({
      extend: false,
      error: 0,
      count: 1,
      lba: 0xc24f00n,
      device: 0x40,
      status: 0x50,
    });
  });

  it('reads the high halves too when EXTEND is 1', () => {
    expect(ataSense(1).ata).toMatchObject({ extend: true, count: 0xff01, lba: 0xffffffc24f00n });
  });
});
