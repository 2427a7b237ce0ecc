import { describe, expect, it } from 'vitest';
import {
  ContradictingOptions,
  flag,
  option,
  parseArgs,
  parseBigNumber,
  parseNumber,
  type ArgSpec,
} from '../../../src-main/cli/args';
import {
  exitCodeForSense,
  exitCodeForStatus,
  exitCodeForTransport,
  EXIT,
} from '../../../src-main/cli/exit-codes';
import { toJson } from '../../../src-main/cli/io';
import { wrap } from '../../../src-main/cli/render/wrap';
import {
  asciiText,
  ByteReader,
  putBe16,
  putBe32,
  putBe64,
  putLe16,
  putLe32,
  readBounded,
} from '../../../shared/scsi/bytes';
import { formatHex, hex2, hexByte, parseHex, t10Hex } from '../../../shared/scsi/hex';
import { err, ok, problem } from '../../../shared/scsi/result';

describe('ByteReader', () => {
  const r = new ByteReader(
    Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x41]),
    'test data',
  );

  it('reads big- and little-endian values and bit fields', () => {
    expect(r.be16(0)).toBe(0x1234);
    expect(r.be24(0)).toBe(0x123456);
    expect(r.be32(0)).toBe(0x12345678);
    expect(r.be32(4)).toBe(0x9abcdef0);
    expect(r.be64(0)).toBe(0x123456789abcdef0n);
    expect(r.beN(1, 3)).toBe(0x345678n);
    expect(r.le16(0)).toBe(0x3412);
    expect(r.le32(0)).toBe(0x78563412);
    expect(r.bits(0, 4, 4)).toBe(1);
    expect(r.flag(8, 0)).toBe(true);
    expect(r.has(8)).toBe(true);
    expect(r.has(9)).toBe(false);
  });

  it('copies a slice, also of a Buffer whose memory is written over afterwards', () => {
    const memory = Buffer.from([1, 2, 3, 4]);
    const cut = new ByteReader(memory, 'a reused read buffer').slice(1, 2);
    memory.fill(0xee);
    expect(Array.from(cut)).toEqual([2, 3]);
  });

  it('turns a read past the end into an error naming the field and where the data stops', () => {
    const res = readBounded(Uint8Array.from([1, 2]), 'sense data', (x) =>
      ok(x.be32(0, 'INFORMATION')),
    );
    expect(res).toEqual(
      err(
        problem(
          'out-of-bounds',
          'sense data is 2 bytes long, so INFORMATION at bytes 0–3 is missing',
          0,
        ),
      ),
    );
    const sub = new ByteReader(Uint8Array.from([0, 0, 0, 0, 1]), 'page').sub(2, 3, 'descriptor');
    expect(sub.u8(2)).toBe(1);
    expect(readBounded(Uint8Array.from([0]), 'x', (x) => ok(x.sub(0, 1, 'd').u8(3)))).toMatchObject(
      {
        ok: false,
        error: { message: 'd is 1 bytes long, so a field at byte 3 is missing', offset: 1 },
      },
    );
  });

  it('does not swallow programmer errors', () => {
    expect(() =>
      readBounded(new Uint8Array(1), 'x', () => {
        throw new TypeError('bug');
      }),
    ).toThrow('bug');
  });

  it('decodes ASCII, trimming padding and showing non-printables', () => {
    expect(r.ascii(8, 1)).toBe('A');
    expect(asciiText(Uint8Array.from([0x41, 0x01, 0x42, 0x20, 0x00]))).toBe('A.B');
  });

  it('writes through bounds-checked helpers', () => {
    const b = new Uint8Array(8);
    putBe16(b, 0, 0x1234);
    putLe16(b, 2, 0x1234);
    putLe32(b, 4, 0x12345678);
    expect(formatHex(b)).toBe('12 34 34 12 78 56 34 12');
    putBe32(b, 0, 0xdeadbeef);
    expect(formatHex(b.subarray(0, 4))).toBe('de ad be ef');
    putBe64(b, 0, 0x0102030405060708n);
    expect(formatHex(b)).toBe('01 02 03 04 05 06 07 08');
    expect(() => putBe32(b, 6, 1)).toThrow(RangeError);
  });
});

describe('hex', () => {
  it('accepts the spellings people paste', () => {
    for (const t of [
      '12 00 24',
      '120024',
      '0x12,0x00,0x24',
      '12:00:24',
      '12h 00h 24h',
      ' 12\n00\t24 ',
    ]) {
      const r = parseHex(t);
      expect(r.ok && formatHex(r.value), t).toBe('12 00 24');
    }
    expect(parseHex('1 2').ok && formatHex((parseHex('1 2') as { value: Uint8Array }).value)).toBe(
      '01 02',
    );
  });

  it('names the bad byte', () => {
    const r = parseHex('12 00 zz', 'CDB');
    expect(!r.ok && r.error).toMatchObject({
      offset: 2,
      message: expect.stringMatching(/CDB: "zz" is not hexadecimal: "z" at byte 2;/),
    });
    expect(!parseHex('123').ok).toBe(true);
    expect(!parseHex('0x123').ok).toBe(true);
  });

  it('names the bad character and its byte inside a run of digits, quoting a long run only in part', () => {
    const r = parseHex('12 deadbeefzz00', 'data-out');
    expect(!r.ok && r.error).toMatchObject({
      offset: 5,
      message: expect.stringMatching(
        /^data-out: "deadbeefzz00" is not hexadecimal: "z" at byte 5;/,
      ),
    });
    // A pasted kilobyte with one stray letter: the message names it, and stays short.
    const run = '00'.repeat(700) + 'g0' + '00'.repeat(300);
    const long = parseHex(run, 'data-out');
    expect(!long.ok && long.error.offset).toBe(700);
    const message = long.ok ? '' : long.error.message;
    expect(message).toMatch(/^data-out: "0{16}…" is not hexadecimal: "g" at byte 700;/);
    expect(message.length).toBeLessThan(200);
    const odd = parseHex(`${'00'.repeat(500)}0`, 'data-out');
    expect(!odd.ok && odd.error.message.length).toBeLessThan(200);
  });

  it('refuses an empty element instead of shifting the bytes after it; a trailing separator is fine', () => {
    for (const [t, at] of [
      ['0x12,,0x00', 1],
      ['12 ; ; 00', 1],
      [',12', 0],
      ['12:00::24', 2],
    ] as const) {
      const r = parseHex(t, 'CDB');
      expect(!r.ok && r.error, t).toMatchObject({
        offset: at,
        message: `CDB: nothing between two separators at byte ${at}; a byte is missing or a separator is doubled`,
      });
    }
    for (const t of ['0x12, 0x00, 0x24,', '12 , 00 , 24', '12:00:24;']) {
      const r = parseHex(t);
      expect(r.ok && formatHex(r.value), t).toBe('12 00 24');
    }
    expect(parseHex('').ok && (parseHex('') as { value: Uint8Array }).value.length).toBe(0);
    expect(parseHex('  ').ok).toBe(true);
  });

  it('formats', () => {
    expect(hex2(0x5)).toBe('05');
    expect(hexByte(0x24)).toBe('0x24');
    expect(t10Hex(0x2a)).toBe('2Ah');
    expect(t10Hex(0x1f, 4)).toBe('001Fh');
    expect(t10Hex(5)).toBe('05h');
    expect(t10Hex(0xffffffffffffffffn, 16)).toBe('FFFFFFFFFFFFFFFFh');
    expect(formatHex(Uint8Array.from([1, 2]), '')).toBe('0102');
  });
});

describe('CLI plumbing', () => {
  const spec = {
    options: { 'data-in': 'value', json: 'flag', dk: 'values', '16': 'flag', force: 'flag' },
    positionals: Infinity,
  } as const;
  const parsed = (argv: string[], s: ArgSpec = spec) => {
    const a = parseArgs(argv, s);
    if (a instanceof Error) throw a;
    return a;
  };

  it('parses positionals, values, flags, = values, repeats and --', () => {
    const a = parsed([
      'lint',
      '12 00',
      '--data-in',
      '36',
      '--json',
      '--dk=a=1',
      '--dk',
      'b=2',
      '--',
      '--not-an-option',
    ]);
    expect(a.positionals).toEqual(['lint', '12 00', '--not-an-option']);
    expect(option(a, 'data-in')).toBe('36');
    expect(flag(a, 'json')).toBe(true);
    expect(a.options.get('dk')).toEqual(['a=1', 'b=2']);
    expect(parsed(['-']).positionals).toEqual(['-']);
    // Names may start with a digit (readcap --16), and a flag never takes the next word.
    expect(flag(parsed(['--16']), '16')).toBe(true);
    expect(parsed(['--force', '2a 00']).positionals).toEqual(['2a 00']);
    // --help and -h are every command's; an alias is kept under its long name.
    expect(flag(parsed(['-h']), 'help')).toBe(true);
    const aliased: ArgSpec = { options: { device: 'value', d: { aliasOf: 'device' } } };
    expect(option(parsed(['-d', 'emu:'], aliased), 'device')).toBe('emu:');
    expect(parseArgs(['--device', 'emu:', '-d', 'usb:1:2'], aliased)).toEqual(
      new ContradictingOptions('-d repeats --device ("emu:", then "usb:1:2"); give it once'),
    );
  });

  it('refuses an option the command does not take, naming it and the closest it does take', () => {
    expect(parseArgs(['--datain', '512'], spec)).toEqual(
      new Error('unknown option --datain; did you mean --data-in?'),
    );
    expect(parseArgs(['--bogus'], spec)).toEqual(new Error('unknown option --bogus'));
    // A spec that takes no words refuses one by name.
    expect(parseArgs(['12', '--json'], { options: spec.options })).toEqual(
      new Error('unexpected argument "12": it takes only options'),
    );
    expect(parseArgs(['--data-in'], spec)).toEqual(new Error('--data-in needs a value'));
    expect(parseArgs(['--data-in', '--json'], spec)).toEqual(new Error('--data-in needs a value'));
    expect(parseArgs(['--json=yes'], spec)).toEqual(new Error('--json takes no value'));
    // A value given twice is refused, not settled by taking the last: only `values` repeat.
    expect(parseArgs(['--data-in', '36', '--data-in=512'], spec)).toEqual(
      new ContradictingOptions('--data-in is given twice ("36", then "512"); give it once'),
    );
    expect(parseArgs(['--alloc', '36', '--alloc', '8'], { ...spec, fieldOptions: true })).toEqual(
      new ContradictingOptions('--alloc is given twice ("36", then "8"); give it once'),
    );
    expect(flag(parsed(['--json', '--json']), 'json')).toBe(true);
    // A command that takes catalog fields as options checks those names itself.
    expect(parsed(['--alloc', '36'], { ...spec, fieldOptions: true }).options.get('alloc')).toEqual(
      ['36'],
    );
  });

  it('parses numbers in decimal and hex, and rejects others', () => {
    expect(parseNumber('36', 'x')).toBe(36);
    expect(parseNumber('0x24', 'x')).toBe(36);
    expect(parseNumber('24h', 'x')).toBe(36);
    expect(parseNumber(undefined, 'x')).toBeUndefined();
    expect(parseNumber('3 6', '--len')).toEqual(
      new Error('--len must be a number (decimal, 0x.. or ..h), got "3 6"'),
    );
    expect(parseBigNumber('0xffffffffffffffff', 'x')).toBe(0xffffffffffffffffn);
    expect(parseBigNumber('x', 'x')).toBeInstanceOf(Error);
  });

  it('maps sense and status to sg3_utils exit categories', () => {
    expect(exitCodeForSense(0x5, 0x20, 0x00)).toBe(EXIT.invalidOpcode);
    expect(exitCodeForSense(0x5, 0x24, 0x00)).toBe(EXIT.illegalRequest);
    expect(exitCodeForSense(0x6, 0x29, 0x00)).toBe(EXIT.unitAttention);
    expect(exitCodeForSense(0xd, 0, 0)).toBe(EXIT.otherSense); // VOLUME OVERFLOW
    // sg_lib.c sg_err_category_sense: the ASC/ASCQ pairs with categories of their own.
    expect(exitCodeForSense(0x5, 0x26, 0x00)).toBe(19); // INVALID FIELD IN PARAMETER LIST
    expect(exitCodeForSense(0x5, 0x26, 0x01)).toBe(5); // PARAMETER NOT SUPPORTED: plain illegal request
    expect(exitCodeForSense(0x2, 0x04, 0x0b)).toBe(12); // standby
    expect(exitCodeForSense(0x2, 0x04, 0x0c)).toBe(13); // unavailable
    expect(exitCodeForSense(0x2, 0x04, 0x04)).toBe(16); // FORMAT IN PROGRESS
    expect(exitCodeForSense(0x2, 0x04, 0x1b)).toBe(16); // SANITIZE IN PROGRESS
    expect(exitCodeForSense(0x2, 0x04, 0x02)).toBe(2); // INITIALIZING COMMAND REQUIRED
    expect(exitCodeForSense(0x2, 0x3a, 0x00)).toBe(2); // MEDIUM NOT PRESENT
    expect(exitCodeForStatus(0x08)).toBe(EXIT.busy);
    expect(exitCodeForStatus(0x02)).toBe(EXIT.other);
  });

  it('maps a transport failure to its category: a command never sent is bad input, not "other"', () => {
    expect(exitCodeForTransport('not-sent')).toBe(EXIT.syntax);
    expect(exitCodeForTransport('timeout')).toBe(EXIT.timeout);
    expect(exitCodeForTransport('io-error')).toBe(EXIT.other);
  });

  it('counts BLANK CHECK as a medium error and COPY ABORTED as its own category, as sg3_utils does', () => {
    // sg3_utils(8) EXIT STATUS: 3 "a medium or hardware error (or a blank check)", 10 "copy aborted".
    expect(exitCodeForSense(0x8, 0, 0)).toBe(3);
    expect(exitCodeForSense(0xa, 0x1d, 0)).toBe(10);
  });

  it('reads the ASC/ASCQ where sg3_utils does (sg_lib.h categories)', () => {
    expect(exitCodeForSense(0x5, 0x21, 0x00)).toBe(22); // SG_LIB_LBA_OUT_OF_RANGE
    expect(exitCodeForSense(0x5, 0x21, 0x01)).toBe(EXIT.illegalRequest);
    expect(exitCodeForSense(0x5, 0x20, 0x02)).toBe(EXIT.illegalRequest); // ACCESS DENIED, not an invalid opcode
    expect(exitCodeForSense(0x5, 0x20, undefined)).toBe(EXIT.illegalRequest);
    expect(exitCodeForSense(0xb, 0x10, 0x01)).toBe(40); // SG_LIB_CAT_PROTECTION
    expect(exitCodeForSense(0xb, 0x47, 0x00)).toBe(EXIT.abortedCommand);
    expect([0x04, 0x18, 0x28, 0x30, 0x40].map(exitCodeForStatus)).toEqual([25, 24, 27, 28, 29]);
  });

  it('writes JSON with hex bytes and exact big numbers', () => {
    expect(
      JSON.parse(toJson({ b: Uint8Array.from([0x12, 0]), small: 5n, big: 2n ** 64n - 1n })),
    ).toEqual({ b: '12 00', small: 5, big: '18446744073709551615' });
  });

  it('writes a Buffer as hex too, not as its toJSON object', () => {
    // What `raw --json` carries: sense data arrives in a Buffer, data-in in a Uint8Array.
    expect(
      JSON.parse(toJson({ sense: Buffer.from([0x70, 0, 5]), nested: [Buffer.from([0xff])] })),
    ).toEqual({ sense: '70 00 05', nested: ['ff'] });
  });

  it('wraps text with a hanging indent', () => {
    expect(wrap('aaa bbb ccc ddd', 9, 2)).toBe('aaa bbb\n  ccc ddd');
  });
});
