/**
 * Every command's options: the ones it declares are the ones its help lists, an option it does
 * not take is refused by name (a mistyped --device must not send to the default device), and
 * options named by digits (readcap --16, mode-sense --6) do what the help says.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src-main/cli/usbcdb';
import { runUsbcdb as run } from '../../cli-run';
import { testTempDir } from '../../temp-dir';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** `--name` words of a usage text; build's and vendor's `--FIELD` placeholder is not one. */
function documented(usage: string): Set<string> {
  return new Set([...usage.matchAll(/--([a-z0-9][a-z0-9-]*)/g)].map((m) => m[1] as string));
}

/** Single-letter aliases (-d for --device, -q for --quiet…) are written next to their long name. */
const isAlias = (name: string): boolean => name.length === 1;

describe('command options', () => {
  it('declares exactly the options its help lists', () => {
    for (const c of COMMANDS) {
      const declared = Object.keys(c.options).filter((n) => !isAlias(n));
      const listed = documented(c.usage);
      // Catalog field names build and vendor take (--alloc, --lba…) are examples in their help.
      const undeclared = c.fieldOptions ? [] : [...listed].filter((n) => !(n in c.options));
      expect({
        command: c.name,
        undocumented: declared.filter((n) => !listed.has(n)),
        undeclared,
      }).toEqual({ command: c.name, undocumented: [], undeclared: [] });
    }
  });

  it('refuses an option a command does not take, with the one it probably meant, and sends nothing', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['raw', '12 00 00 00 24 00', '--in', '36', '--dev', 'emu:card-reader'],
        /unknown option --dev; did you mean --device\?/,
      ],
      [
        ['lint', '12 00 00 00 24 00', '--datain', '512'],
        /unknown option --datain; did you mean --data-in\?/,
      ],
      [['inquiry', '--vdp', '0x80'], /unknown option --vdp; did you mean --vpd\?/],
      [['readcap', '--long'], /unknown option --long/],
      [['tur', '--count'], /--count needs a value/],
      [['tur', '--json=1'], /--json takes no value/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect({ argv, code: r.code, out: r.out }).toEqual({ argv, code: 1, out: '' });
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(new RegExp(`usbcdb help ${argv[0]} lists its options`));
    }
  });

  it('exits 31 (contradicting options, as sg_raw for a second --infile) for an option given twice or beside its alias, and for --in with --out; nothing is sent', async () => {
    const cases: [string[], RegExp][] = [
      [['write', '--lba', '8', '--lba', '0', '--force'], /--lba is given twice \("8", then "0"\)/],
      [['read', '--file', 'a.bin', '-o', 'b.bin'], /-o repeats --file \("a.bin", then "b.bin"\)/],
      [
        ['tur', '-d', 'emu:', '--device', 'emu:card-reader'],
        /--device is given twice \("emu:", then "emu:card-reader"\)/,
      ],
      [
        ['raw', '12 00 00 00 24 00', '--in', '36', '--out', 'x.bin'],
        /give --in or --out, not both/,
      ],
      // One catalog field under two of its names: the last silently won.
      [
        ['build', 'inquiry', '--alloc', '36', '--allocation-length', '40'],
        /--allocation-length and --alloc both set ALLOCATION LENGTH; give it once/,
      ],
      [
        ['build', 'read10', '--len', '2', '--blocks', '3'],
        /--blocks and --len both set TRANSFER LENGTH; give it once/,
      ],
      [
        ['vendor', 'example.get-led', '--alloc', '4', '--allocation-length', '8'],
        /--allocation-length and --alloc both set ALLOCATION LENGTH/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect({ argv, code: r.code, out: r.out }).toEqual({ argv, code: 31, out: '' });
      expect(r.err).toMatch(message);
    }
  });

  it('refuses a word a command does not take (exit 1, as sg3_utils for an unexpected extra argument) and sends nothing', async () => {
    const never = join(testTempDir('extra-arg'), 'never.bin');
    const cases: [string[], RegExp][] = [
      // Meant as --lba 100: read must not read LBA 0 into the file instead.
      [['read', '100', '--file', never], /unexpected argument "100": it takes only options/],
      // Meant as --device: inquiry must not ask the default emulated drive instead.
      [['inquiry', 'emu:card-reader'], /unexpected argument "emu:card-reader"/],
      [['tur', '--', '-x'], /unexpected argument "-x"/],
      [
        ['sequence', 'example.set-led-and-check', 'extra'],
        /unexpected extra argument "extra" after "example.set-led-and-check" \(it takes one\)/,
      ],
      [['vendor', 'acme.unlock', 'x'], /unexpected extra argument "x" after "acme.unlock"/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect({ argv, code: r.code, out: r.out }).toEqual({ argv, code: 1, out: '' });
      expect(r.err).toMatch(message);
    }
    expect(existsSync(never)).toBe(false);
    // Commands that take no words refuse any; those that take a list still read all of it.
    for (const c of COMMANDS.filter((c) => !c.positionals)) {
      const r = await run([c.name, 'stray']);
      expect({ command: c.name, code: r.code }).toEqual({ command: c.name, code: 1 });
    }
    const raw = await run(['raw', '12', '00', '00', '00', '24', '00', '--in', '36', '--json']);
    expect(JSON.parse(raw.out).request.cdb).toBe('12 00 00 00 24 00');
    const built = await run(['build', 'READ', 'CAPACITY(16)', '--quiet']);
    expect(built.out.trim()).toMatch(/^9e 10 /);
  });

  it('refuses an empty option value by name before anything is sent (a file called "" cannot be written)', async () => {
    const cases: [string[], string][] = [
      [['read', '--file', ''], '--file'],
      [['inquiry', '--record='], '--record'],
      [['tur', '--capture', ''], '--capture'],
      [['raw', '12 00 00 00 24 00', '--out', ''], '--out'],
      [['write', '--lba', '0', '--file', '', '--force'], '--file'],
      [['inquiry', '-d', ''], '-d'],
    ];
    for (const [argv, word] of cases) {
      const r = await run(argv);
      expect({ argv, code: r.code, out: r.out }).toEqual({ argv, code: 1, out: '' });
      expect(r.err).toContain(`${word} needs a value, and was given an empty one`);
    }
  });

  it('takes --force before the CDB without swallowing it', async () => {
    const r = await run(['raw', '--force', '12 00 00 00 24 00', '--in', '36', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).request.cdb).toBe('12 00 00 00 24 00');
  });

  it('sends READ CAPACITY(16) for readcap --16 and MODE SENSE(6) for mode-sense --6', async () => {
    const cap = await run(['readcap', '--16', '--json']);
    expect(cap.code).toBe(0);
    expect(JSON.parse(cap.out).request.cdb).toMatch(/^9e 10 /);
    const mode = await run(['mode-sense', '--6', '--page', '8', '--json']);
    expect(mode.code).toBe(0);
    expect(JSON.parse(mode.out).request.cdb).toBe('1a 00 08 00 ff 00');
  });

  it('says so when help is asked for a command that does not exist, or given a word more', async () => {
    const r = await run(['help', 'nosuch']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown command "nosuch"/);
    expect(await run(['help', 'raw', 'tur'])).toEqual({
      code: 1,
      out: '',
      err: 'usbcdb help: unexpected extra argument "tur" after "raw" (it takes one)\n',
    });
  });
});

describe('numericOptions', () => {
  it('reads each named option as a number, names a malformed one, and bounds --lun by what a CBW carries', async () => {
    const { numericOptions } = await import('../../../src-main/cli/commands/shared-options');
    const args = (lun: string) => ({
      positionals: [],
      options: new Map([
        ['lun', [lun]],
        ['count', ['0x10']],
      ]),
    });
    expect(numericOptions(args('15'), ['lun', 'count', 'timeout'])).toEqual({ lun: 15, count: 16 });
    expect(numericOptions(args('16'), ['lun'])).toEqual(
      new Error(
        "--lun 16 cannot be sent: a CBW's bCBWLUN holds 0–15 (BOT 1.0, command block wrapper)",
      ),
    );
    expect(numericOptions(args('x'), ['lun'])).toBeInstanceOf(Error);
  });

  it('bounds --timeout to 1 ms–1 h, as the app does: 0 would be no timeout at all to libusb', async () => {
    const { numericOptions } = await import('../../../src-main/cli/commands/shared-options');
    const { parseRequest } = await import('../../../shared/ipc/contract');
    const timeout = (t: string) => ({ positionals: [], options: new Map([['timeout', [t]]]) });
    const why =
      "a command's timeout is 1–3600000 ms (libusb reads 0 as no timeout at all; an hour is the longest)";
    expect(numericOptions(timeout('0'), ['timeout'])).toEqual(
      new Error(`--timeout 0 cannot be sent: ${why}`),
    );
    expect(numericOptions(timeout('3600001'), ['timeout'])).toEqual(
      new Error(`--timeout 3600001 cannot be sent: ${why}`),
    );
    expect(numericOptions(timeout('1'), ['timeout'])).toEqual({ timeout: 1 });
    expect(numericOptions(timeout('3600000'), ['timeout'])).toEqual({ timeout: 3_600_000 });
    // The same bounds as device.execute's timeoutMs.
    const execute = (timeoutMs: number) =>
      parseRequest('device.execute', {
        device: 'emu:',
        cdb: new Uint8Array(6),
        lun: 0,
        direction: 'none',
        transferLength: 0,
        timeoutMs,
      }).ok;
    expect([0, 1, 3_600_000, 3_600_001].map(execute)).toEqual([false, true, true, false]);
  });
});
