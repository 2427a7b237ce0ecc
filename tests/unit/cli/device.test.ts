import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runUsbcdb as run } from '../../cli-run';
import { testTempDir } from '../../temp-dir';
import {
  dataOutShortfall,
  renderOutcome,
  sendOne,
  showOutcome,
} from '../../../src-main/cli/device-session';
import type { ParsedArgs } from '../../../src-main/cli/args';
import { EmulatedTransport } from '../../../src-main/engine/emu';
import { findProfile } from '../../../src-main/emulator/profiles';

/** fw.bin in a new folder named `name`: a firmware image the emulated drive takes (microcode.ts). */
async function firmwareFile(name: string, revision: string, payload: Uint8Array): Promise<string> {
  const { writeFileSync } = await import('node:fs');
  const { buildFirmwareImage } = await import('../../../src-main/emulator/microcode');
  const fw = `${testTempDir(name)}/fw.bin`;
  writeFileSync(fw, buildFirmwareImage(revision, payload));
  return fw;
}

describe('device commands against the emulated drive', () => {
  it("raw: the report's CDB succeeds on the default drive and is still flagged", async () => {
    const r = await run(['raw', '12 00 00 24 00 00', '--in', '512']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/GOOD/);
    expect(r.out).toMatch(/96 bytes in, residue 416/);
    expect(r.out).toMatch(/\[layout-ambiguity\]/);
    expect(r.out).toMatch(/corrected: 12 00 00 00 24 00/);
  });

  it('raw: a data-out exchange says how many bytes went out, not "0 bytes in"', async () => {
    const dir = testTempDir('raw-out');
    const file = `${dir}/two-blocks.bin`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, new Uint8Array(1024));
    const r = await run(['raw', '2a 00 00 00 00 0a 00 00 02 00', '--out', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/1024 bytes out, residue 0/);
    expect(r.out).not.toMatch(/bytes in/);
  });

  it("raw: the report's CDB on the SPC-2 bridge reproduces the failure and explains it", async () => {
    const r = await run(['raw', '12 00 00 24 00 00', '--in', '512', '--device', 'emu:spc2-bridge']);
    expect(r.code).toBe(5);
    expect(r.out).toMatch(/24h\/00h INVALID FIELD IN CDB/);
    expect(r.out.replace(/\s+/g, ' ')).toMatch(
      /CDB byte 3 bit 5 \(value 24h\): a reserved bit or byte of INQUIRY/,
    );
    expect(r.out).toMatch(/The intended CDB is 12 00 00 00 24 00/);
  });

  it('raw without --in tells the doctor it set up no data phase, so the case is named', async () => {
    const r = await run(['raw', '12 00 00 00 24 00', '-d', 'emu:spc2-bridge']);
    expect(r.out).toMatch(/Host transfer: none \(no data phase, dCBWDataTransferLength 0\)/);
    expect(r.out.replace(/\s+/g, ' ')).toMatch(
      /INQUIRY moves 36 bytes from the device, but the direction is none\. With no data phase set up the device and host disagree \(Bulk-Only case 2, Hn < Di\)/,
    );
  });

  it('raw: data-in with a refused command is shown as padding, whatever the residue', async () => {
    const r = await run(['raw', `c5${' 00'.repeat(9)}`, '--in', '512', '-d', 'emu:sata-bridge']);
    expect(r.out).toMatch(/512 bytes in, residue 0/);
    expect(r.out).toContain(
      'The device refused the command (ILLEGAL REQUEST: nothing was done), so the 512 bytes in are padding it sent for the data phase, not data, whatever the residue says.',
    );
    expect(r.out).toMatch(/^data-in \(padding, not data\):$/m);
    // A command that did something keeps its data as data.
    const good = await run(['raw', '12 00 00 00 24 00', '--in', '36']);
    expect(good.out).toMatch(/^data-in:$/m);
  });

  it('raw: a vendor opcode fails with INVALID COMMAND OPERATION CODE (exit 9)', async () => {
    const r = await run(['raw', 'c0 00 00 00 00 00 00 00 00 00', '--json']);
    expect(r.code).toBe(9);
    const { outcome } = JSON.parse(r.out) as { outcome: { status: number; sense: unknown } };
    expect(outcome.status).toBe(2);
    // Sense in hex like the data (fixed format, ILLEGAL REQUEST, ASC 20h), not a Buffer's toJSON.
    expect(outcome.sense).toMatch(/^70 00 05 (?:[0-9a-f]{2} ){9}20 00/);
  });

  it('raw: refuses --in with --out, unknown devices and unreadable files', async () => {
    expect((await run(['raw', '00 00 00 00 00 00', '--in', '1', '--out', 'x'])).code).toBe(31); // sg3_utils' SG_LIB_CONTRADICT
    expect((await run(['raw', '00 00 00 00 00 00', '--device', 'emu:nope'])).err).toMatch(
      /no emulated profile/,
    );
    expect(
      (await run(['raw', '2a 00 00 00 00 00 00 00 01 00', '--out', '/nonexistent/file'])).code,
    ).toBe(15);
  });

  it('raw: refuses a CDB longer than a CBW carries as bad input, sending nothing', async () => {
    // A 32-byte variable-length CDB (7Fh, ADDITIONAL CDB LENGTH 18h): BOT 1.0 §5.1 carries 1–16 bytes.
    const dir = testTempDir('raw-long');
    const trace = `${dir}/trace.jsonl`;
    const r = await run(['raw', `7f 00 00 00 00 00 00 18${' 00'.repeat(24)}`, '--record', trace]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /the CDB is 32 bytes; a Bulk-Only CBW carries 1–16 \(bCBWCBLength, BOT 1.0 §5.1\), so it cannot be sent/,
    );
    expect(r.out).not.toMatch(/io-error|Retry/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(trace)).toBe(false);
  });

  it('inquiry, VPD, readcap, tur and request-sense decode what the drive returns', async () => {
    expect((await run(['inquiry'])).out).toMatch(/Vendor +USBCDB +\[bytes 8–15\]/);
    expect((await run(['inquiry', '--vpd', '0x80'])).out).toMatch(/0123456789AB/);
    expect((await run(['readcap'])).out).toMatch(/Last LBA +262143/);
    expect((await run(['readcap', '--16'])).out).toMatch(/Block length +512 bytes/);
    expect((await run(['tur', '--count', '50'])).out).toMatch(/50 × TEST UNIT READY: GOOD/);
    expect((await run(['request-sense'])).out).toMatch(/NO SENSE/);
    expect((await run(['inquiry', '--vpd', '0x99'])).code).toBe(5);
  });

  it('profiles lists the emulated drives', async () => {
    const r = await run(['profiles']);
    expect(r.out).toMatch(/emu:flash-stick \(default, emu:\)/);
    expect(r.out).toMatch(/emu:spc2-bridge/);
  });
});

describe('data commands against the emulated drive', () => {
  it('mode-sense shows the caching page with WCE, and (6) works too', async () => {
    expect((await run(['mode-sense'])).out).toMatch(/Page 08h Caching .*WCE=1/);
    expect((await run(['mode-sense', '--6', '--page', '0x0a'])).out).toMatch(
      /Page 0Ah Control .*D_SENSE=0/,
    );
    expect((await run(['mode-sense', '--page', '0x05'])).code).toBe(5);
  });

  it('log-sense lists the supported pages, reads one, and says when a drive has none', async () => {
    const fw = ['--device', 'emu:fw-updatable'];
    const list = await run(['log-sense', ...fw]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/Supported +0Dh Temperature/);
    const temperature = await run(['log-sense', '--page', '0x0d', ...fw]);
    expect(temperature.out).toMatch(/^Temperature +\d+ °C/m);
    const subpages = await run(['log-sense', '--subpage', '0xff', ...fw]);
    expect(subpages.out).toMatch(
      /Supported +2Fh\/FFh Supported Subpages of Informational Exceptions/,
    );
    // PC 01b unless told: the CDB as sent shows it (byte 2 = 40h | page).
    const sent = await run(['log-sense', '--page', '0x0d', ...fw, '--json']);
    expect((JSON.parse(sent.out) as { request: { cdb: string } }).request.cdb).toBe(
      '4d 00 4d 00 00 00 00 10 00 00',
    );
    // The flash stick, like QEMU's usb-storage, does not know LOG SENSE.
    expect((await run(['log-sense'])).code).toBe(9);
  });

  it("log-sense's help gives the JSON --all prints, one document of every exchange", async () => {
    const json = await run(['log-sense', '--all', '--device', 'emu:fw-updatable', '--json']);
    const doc = JSON.parse(json.out) as { exchanges: Record<string, unknown>[] };
    expect(Object.keys(doc)).toEqual(['device', 'exchanges']);
    expect(Object.keys(doc.exchanges[0] ?? {})).toEqual(['request', 'outcome']);
    // The help said only {device, request, outcome}, the shape of one page's answer.
    const help = (await run(['help', 'log-sense'])).out.replace(/\s+/g, ' ');
    expect(help).toContain(
      '--json {device, request, outcome}; with --all {device, exchanges: [{request, outcome}]}',
    );
  });

  it('log-sense --all reads every page the device lists, in its order, one LOG SENSE each', async () => {
    const fw = ['--device', 'emu:fw-updatable'];
    const r = await run(['log-sense', '--all', ...fw]);
    expect(r.code).toBe(0);
    expect([...r.out.matchAll(/^Page +([0-9A-F]{2}h) /gm)].map((m) => m[1])).toEqual([
      '00h',
      '0Dh',
      '10h',
      '2Fh',
    ]);
    const json = await run(['log-sense', '--all', ...fw, '--json']);
    const doc = JSON.parse(json.out) as { exchanges: { request: { cdb: string } }[] };
    expect(doc.exchanges.map((e) => e.request.cdb.slice(0, 8))).toEqual([
      '4d 00 40',
      '4d 00 4d',
      '4d 00 50',
      '4d 00 6f',
    ]);
    // A drive without log pages: the first refusal explained, its exit status, nothing more sent.
    const none = await run(['log-sense', '--all', '--json']);
    expect(none.code).toBe(9);
    expect((JSON.parse(none.out) as { exchanges: unknown[] }).exchanges).toHaveLength(1);
    const both = await run(['log-sense', '--all', '--page', '3']);
    expect(both.code).toBe(31);
    expect(both.err).toMatch(/--all .* takes no --page or --subpage/);
  });

  it('log-sense --all asks for each listed page once, however often the list repeats it', async () => {
    // A session recorded from the updatable disk, its supported-pages answer changed to list 0Dh
    // three times and nothing else: replay answers requests in the recorded order, so a second
    // LOG SENSE of 0Dh would meet the recorded 10h and fail.
    const trace = join(testTempDir('log-all'), 'trace.jsonl');
    expect(
      (await run(['log-sense', '--all', '--device', 'emu:fw-updatable', '--record', trace])).code,
    ).toBe(0);
    const edited = readFileSync(trace, 'utf8').replace(
      '"dataIn":"80 00 00 04 00 0d 10 2f"',
      '"dataIn":"80 00 00 03 0d 0d 0d"',
    );
    expect(edited).not.toBe(readFileSync(trace, 'utf8'));
    writeFileSync(trace, edited);
    const r = await run(['log-sense', '--all', '--device', `replay:${trace}`]);
    expect(r.code).toBe(0);
    expect([...r.out.matchAll(/^Page +([0-9A-F]{2}h) /gm)].map((m) => m[1])).toEqual([
      '00h',
      '0Dh',
    ]);
  });

  it('opcodes names what the device reports from the catalog', async () => {
    const all = await run(['opcodes']);
    expect(all.out).toMatch(/9Eh\/10h READ CAPACITY\(16\) +16-byte CDB/);
    const one = await run(['opcodes', '--op', '0x12']);
    expect(one.out).toMatch(/supported, conforming to a standard/);
  });

  it('opcodes refuses --sa without --op rather than list every command, as sg_opcodes does', async () => {
    // sg_opcodes: "When '-s' is chosen, so must '-o' be chosen".
    const r = await run(['opcodes', '--sa', '0x10']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^opcodes: --sa names a service action of the opcode given with --op/);
    expect(r.out).toBe('');
    const one = await run(['opcodes', '--op', '0x9e', '--sa', '0x10']);
    expect(one.out).toMatch(/supported, conforming to a standard/);
  });

  it("read's usage gives --lba and --count as optional, with the defaults it reads by", async () => {
    const help = (await run(['help', 'read'])).out;
    expect(help).toMatch(/^usbcdb read \[--lba LBA\] \[--count N\] --file FILE/);
    expect(help).toMatch(/--lba LBA +the first block to read \(default 0\)/);
    expect(help).toMatch(/--count N +how many blocks \(default 1\)/);
  });

  it('write needs --lba, as its usage says, rather than overwrite LBA 0 unasked', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = `${testTempDir('write-no-lba')}/in.bin`;
    writeFileSync(file, new Uint8Array(512).fill(0xaa));
    const r = await run(['write', '--file', file, '--force']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('write: give --lba LBA, the first block to overwrite\n');
    expect(r.out).toBe('');
  });

  it('read writes blocks to a file; write needs --force and whole blocks', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = testTempDir('cli');
    const r = await run(['read', '--lba', '8', '--count', '2', '--file', join(dir, 'out.bin')]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'out.bin'))).toHaveLength(1024);
    writeFileSync(join(dir, 'in.bin'), new Uint8Array(1024).fill(1));
    expect((await run(['write', '--lba', '8', '--file', join(dir, 'in.bin')])).err).toMatch(
      /add --force/,
    );
    expect(
      (await run(['write', '--lba', '8', '--file', join(dir, 'in.bin'), '--force'])).out,
    ).toMatch(/wrote 2 block\(s\)/);
    writeFileSync(join(dir, 'odd.bin'), new Uint8Array(100));
    expect(
      (await run(['write', '--lba', '8', '--file', join(dir, 'odd.bin'), '--force'])).err,
    ).toMatch(/not a whole number of 512-byte blocks/);
    writeFileSync(join(dir, 'empty.bin'), new Uint8Array(0));
    const empty = await run(['write', '--lba', '8', '--file', join(dir, 'empty.bin'), '--force']);
    expect([empty.code, empty.err]).toEqual([
      1,
      `write: ${join(dir, 'empty.bin')} is empty: there is no block to write (nothing was sent)\n`,
    ]);
    expect((await run(['read', '--lba', '999999999', '--file', join(dir, 'x.bin')])).code).toBe(22); // sg3_utils' SG_LIB_LBA_OUT_OF_RANGE
  });

  it('read refuses a directory or a FIFO as --file before reading, and leaves it as it was', async () => {
    const { execFileSync } = await import('node:child_process');
    const { lstatSync, mkdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = testTempDir('read-target');
    const folder = join(dir, 'folder');
    const fifo = join(dir, 'fifo');
    mkdirSync(folder);
    execFileSync('mkfifo', [fifo]);
    const trace = join(dir, 'trace.jsonl');
    for (const [target, kind] of [
      [folder, 'a directory'],
      [fifo, 'a FIFO'],
    ] as const) {
      const r = await run(['read', '--file', target, '--record', trace]);
      expect(r.code).toBe(15);
      expect(r.err).toBe(
        `read: ${target} is not a regular file (it is ${kind}): name a file to write the blocks to; nothing was read\n`,
      );
    }
    // The FIFO is still a FIFO (a rename over it would have made it a plain file), and no
    // command reached the device: nothing was recorded.
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(() => lstatSync(trace)).toThrow(/ENOENT/);
    // --record and --capture to a FIFO: named before the device is opened, never waited on.
    for (const name of ['--record', '--capture']) {
      const r = await run(['tur', name, fifo]);
      expect(r.code).toBe(15);
      expect(r.err).toBe(
        `tur: ${name}: ${fifo} is not a regular file (it is a FIFO); nothing was sent\n`,
      );
      expect(r.out).toBe('');
    }
  });

  it('read, --record and --capture name a file whose folder is missing before anything is sent', async () => {
    const { existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = testTempDir('no-folder');
    const missing = join(dir, 'no-such-folder', 'x.bin');
    const trace = join(dir, 'trace.jsonl');
    // The blocks were read, then lost when the file could not be made.
    const r = await run(['read', '--file', missing, '--record', trace]);
    expect({ code: r.code, out: r.out }).toEqual({ code: 15, out: '' });
    expect(r.err).toBe(
      `read: ${missing} cannot be created: there is no folder ${join(dir, 'no-such-folder')}: name a file to write the blocks to; nothing was read\n`,
    );
    expect(existsSync(trace)).toBe(false);
    // A TEST UNIT READY once ran and printed GOOD before the trace failed.
    for (const name of ['--record', '--capture']) {
      const t = await run(['tur', name, missing]);
      expect({ name, code: t.code, out: t.out }).toEqual({ name, code: 15, out: '' });
      expect(t.err).toMatch(new RegExp(`^tur: ${name}: .* cannot be created: there is no folder`));
    }
  });

  it('records a session and replays it', async () => {
    const { join } = await import('node:path');
    const trace = join(testTempDir('rec'), 'inq.jsonl');
    const live = await run(['inquiry', '--record', trace]);
    const replayed = await run(['inquiry', '--device', `replay:${trace}`]);
    expect(replayed.code).toBe(0);
    expect(replayed.out).toBe(live.out);
  });

  it('devices and reset', async () => {
    expect((await run(['devices'])).out).toMatch(/emu:flash-stick +1d6b:0104/);
    expect((await run(['reset'])).out).toMatch(/emu:flash-stick: reset recovery done/);
  });
});

describe('vendor commands and firmware download', () => {
  it('lists the vendor commands and sends them to the firmware-updatable drive', async () => {
    expect((await run(['vendor'])).out).toMatch(/C1h +example\.read-log/);
    const log = await run(['vendor', 'example.read-log', '--device', 'emu:fw-updatable']);
    expect(log.code).toBe(0);
    expect(log.out).toMatch(/power on/);
    expect(
      (
        await run(['vendor', 'example.firmware-version', '--device', 'emu:fw-updatable'])
      ).out.trim(),
    ).toBe('1.00');
    expect(
      (await run(['vendor', 'example.set-led', '--state', '1', '--device', 'emu:fw-updatable']))
        .out,
    ).toMatch(/GOOD \(no data\)/);
  });

  it('explains a vendor opcode a bridge filters, and names bad input', async () => {
    const r = await run(['vendor', 'example.get-led', '--device', 'emu:sata-bridge']);
    expect(r.code).toBe(9);
    expect(r.out).toMatch(/INVALID COMMAND OPERATION CODE/);
    expect((await run(['vendor', 'example.nope'])).err).toMatch(/no vendor command "example.nope"/);
    expect((await run(['vendor', 'example.set-led', '--colour', '1'])).err).toMatch(
      /has no field "--colour"; its fields are .*--state/,
    );
  });

  it('refuses --file for a vendor command that sends no data-out, rather than sending it without the data', async () => {
    const { existsSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = testTempDir('vendor-file-no-out');
    const [data, trace] = [join(dir, 'data.bin'), join(dir, 'session.trace')] as const;
    writeFileSync(data, new Uint8Array(16).fill(7));
    const device = ['-d', 'emu:fw-updatable', '--record', trace];
    // EXAMPLE GET LED reads one byte: the file was dropped and the command sent (exit 0).
    const getLed = await run(['vendor', 'example.get-led', '--file', data, ...device]);
    expect({ code: getLed.code, out: getLed.out }).toEqual({ code: 31, out: '' });
    expect(getLed.err).toBe(
      'vendor: EXAMPLE GET LED sends no data-out (its data phase is in); leave out --file\n',
    );
    // A PARAMETER LIST LENGTH of 0 given beside the file: no data phase, the file dropped too.
    const none = await run([
      'vendor',
      'example.firmware-download',
      '--file',
      data,
      '--param-len',
      '0',
      ...device,
    ]);
    expect({ code: none.code, out: none.out }).toEqual({ code: 31, out: '' });
    expect(none.err).toBe(
      'vendor: EXAMPLE FIRMWARE DOWNLOAD sends no data-out (its data phase is none); leave out --file\n',
    );
    expect(existsSync(trace)).toBe(false);
  });

  it('write-buffer downloads an image in chunks with a progress bar, then reports the new revision', async () => {
    const fw = await firmwareFile('fw', '4.20', new Uint8Array(10_000).fill(1));
    const r = await run(['write-buffer', '--file', fw, '--mode', '0x07', '--chunk', '4096']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/\[#{30}\] 100% 10020\/10020 bytes/);
    expect(r.out).toMatch(/the device now reports revision 4\.20/);
    const odd = await run(['write-buffer', '--file', fw, '--mode', '0x07', '--chunk', '1000']);
    expect(odd.code).toBe(5);
    expect(odd.out).toMatch(/WRITE BUFFER at offset 1000 failed/);
    expect((await run(['write-buffer', '--mode', '0x0f'])).code).toBe(5);
  });

  it("write-buffer shows the device's new revision as text, its escape codes as '.'", async () => {
    // ESC [ 2 J clears a terminal's screen; the drive reports the image's revision in INQUIRY.
    const fw = await firmwareFile('fw-esc', '\x1b[2J', new Uint8Array(100).fill(3));
    const r = await run(['write-buffer', '--file', fw, '--mode', '5']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(
      'WRITE BUFFER mode 05h: 120 bytes sent; the device now reports revision .[2J\n',
    );
  });

  it('raw refuses an empty --out file before opening the device', async () => {
    const { existsSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = testTempDir('raw-empty');
    const empty = join(dir, 'empty.bin');
    writeFileSync(empty, new Uint8Array(0));
    const trace = join(dir, 'trace.jsonl');
    const r = await run([
      'raw',
      '2a 00 00 00 00 08 00 00 01 00',
      '--out',
      empty,
      '--record',
      trace,
    ]);
    expect([r.code, r.out, r.err]).toEqual([
      1,
      '',
      `raw: ${empty} is empty: there is no data to send (nothing was sent); leave out --out to send the CDB with no data\n`,
    ]);
    // No device was opened, so no trace was begun.
    expect(existsSync(trace)).toBe(false);
  });

  it('write-buffer and the commands before it wait as long as --timeout says', async () => {
    const { readFileSync } = await import('node:fs');
    const { dirname, join } = await import('node:path');
    const fw = await firmwareFile('fw-timeout', '4.21', new Uint8Array(100).fill(2));
    const dir = dirname(fw);
    /** Each command the trace holds, as "CDB's first byte hex: timeout". */
    const timeouts = async (extra: string[]): Promise<string[]> => {
      const trace = join(dir, `t${extra.length}.jsonl`);
      const r = await run([
        'write-buffer',
        '--file',
        fw,
        '--mode',
        '5',
        '--record',
        trace,
        ...extra,
      ]);
      expect(r.code, r.err).toBe(0);
      return readFileSync(trace, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => JSON.parse(l) as { request: { cdb: string; timeoutMs: number } })
        .map(({ request }) => `${request.cdb.slice(0, 2)}: ${request.timeoutMs}`);
    };
    // Settling (TEST UNIT READY until the power-on unit attention is gone, INQUIRY), the
    // download and the INQUIRY after it.
    expect(await timeouts(['--timeout', '45000'])).toEqual([
      '00: 45000',
      '00: 45000',
      '12: 45000',
      '3b: 45000',
      '12: 45000',
    ]);
    // Unless given, settling waits the usual 20 s and the download and its INQUIRY three times that.
    expect(await timeouts([])).toEqual([
      '00: 20000',
      '00: 20000',
      '12: 20000',
      '3b: 60000',
      '12: 60000',
    ]);
  });

  it('write-buffer says an empty image file is empty, not that --file is missing', async () => {
    const { writeFileSync } = await import('node:fs');
    const empty = `${testTempDir('fw-empty')}/empty.bin`;
    writeFileSync(empty, new Uint8Array());
    const r = await run(['write-buffer', '--mode', '0x07', '--file', empty]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`write-buffer: ${empty} is empty: there is nothing to download\n`);
    const none = await run(['write-buffer', '--mode', '0x07']);
    expect(none.err).toMatch(/^write-buffer: give --file with the data or firmware image/);
  });

  it('write-buffer refuses --file with mode 0Fh, which activates and takes no data, sending nothing', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = testTempDir('fw-activate');
    const fw = `${dir}/fw.bin`;
    const trace = `${dir}/trace.jsonl`;
    writeFileSync(fw, new Uint8Array(512).fill(1));
    const r = await run(['write-buffer', '--mode', '0x0f', '--file', fw, '--record', trace]);
    expect(r.code).toBe(31);
    expect(r.err).toMatch(
      /^write-buffer: --mode 0Fh activates the deferred microcode and sends no data/,
    );
    const { existsSync } = await import('node:fs');
    expect(existsSync(trace)).toBe(false);
  });

  it('write-buffer refuses --chunk with a mode that has no offsets (it sent the image whole), sending nothing', async () => {
    const { writeFileSync, existsSync } = await import('node:fs');
    const dir = testTempDir('fw-chunk');
    const fw = `${dir}/fw.bin`;
    const trace = `${dir}/trace.jsonl`;
    writeFileSync(fw, new Uint8Array(8192).fill(1));
    for (const mode of ['0x05', '0x0f']) {
      const r = await run([
        'write-buffer',
        '--mode',
        mode,
        '--file',
        fw,
        '--chunk',
        '4096',
        '--record',
        trace,
      ]);
      expect({ mode, code: r.code, out: r.out }).toEqual({ mode, code: 31, out: '' });
    }
    const whole = await run(['write-buffer', '--mode', '0x05', '--file', fw, '--chunk', '4096']);
    expect(whole.err).toBe(
      'write-buffer: --mode 05h sends the image in one command, without offsets; leave out --chunk (it is for modes 02h, 06h, 07h, 0Dh, 0Eh)\n',
    );
    expect(existsSync(trace)).toBe(false);
  });

  it('refuses a value its CDB field or the transfer cannot hold, naming the field, before sending anything', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const fw = join(testTempDir('fit'), 'fw.bin');
    writeFileSync(fw, new Uint8Array(10_000));
    // One byte past what a 24-bit BUFFER OFFSET reaches in 4096-byte chunks: the last chunk's
    // offset does not fit, and nothing may be sent before that is known.
    const big = join(testTempDir('fit'), 'big.bin');
    writeFileSync(big, new Uint8Array(2 ** 24 + 1));
    const cases: [string[], RegExp][] = [
      [
        ['inquiry', '--vpd', '0x1ff'],
        /^inquiry: PAGE CODE \(byte 2\) is 8 bits wide.*511 does not fit/,
      ],
      [
        ['mode-sense', '--page', '0x40'],
        /^mode-sense: PAGE CODE \(byte 2 bits 5:0\) .*64 does not fit/,
      ],
      [['mode-sense', '--pc', '4'], /^mode-sense: PC \(byte 2 bits 7:6\) .*4 does not fit/],
      [
        ['log-sense', '--page', '0x40'],
        /^log-sense: PAGE CODE \(byte 2 bits 5:0\) .*64 does not fit/,
      ],
      [['log-sense', '--subpage', '256'], /^log-sense: SUBPAGE CODE \(byte 3\) .*256 does not fit/],
      [
        ['opcodes', '--op', '0x100'],
        /^opcodes: REQUESTED OPERATION CODE \(byte 3\) .*256 does not fit/,
      ],
      [
        ['read', '--lba', String(2n ** 64n), '--file', join(testTempDir('fit'), 'x.bin')],
        /^read: LOGICAL BLOCK ADDRESS \(bytes 2–9\) is 64 bits wide/,
      ],
      [
        ['read', '--count', '100000000', '--file', join(testTempDir('fit'), 'x.bin')],
        /^read: 100000000 blocks of 512 bytes is 51200000000 bytes; .*read in parts/,
      ],
      [
        ['raw', '12 00 00 00 24 00', '--in', '99999999999'],
        /^raw: --in 99999999999 cannot be sent: .*32 bits/,
      ],
      [['tur', '--count', '0'], /^tur: --count must be at least 1/],
      // A chunk of 0 bytes sent empty WRITE BUFFERs without end.
      [
        ['write-buffer', '--file', fw, '--mode', '0x07', '--chunk', '0'],
        /--chunk must be at least 1/,
      ],
      [
        ['write-buffer', '--file', fw, '--mode', '0x07', '--buffer-id', '300'],
        /BUFFER ID \(byte 2\)/,
      ],
    ];
    cases.push([
      ['write-buffer', '--file', big, '--mode', '0x07'],
      /^write-buffer: BUFFER OFFSET \(bytes 3–5\) is 24 bits wide.*16777216 does not fit/,
    ]);
    for (const [args, message] of cases) {
      const r = await run(args);
      expect({ args, code: r.code, out: r.out }).toEqual({ args, code: 1, out: '' });
      expect(r.err).toMatch(message);
    }
  });
});

describe('destructive commands and real devices', () => {
  it('refuses gated CDBs to a real device without --force, naming why; emulated drives need none', async () => {
    const { refuseWithoutForce } = await import('../../../src-main/cli/device-session');
    const { parseArgs } = await import('../../../src-main/cli/args');
    const { DEVICE_OPTION_SPEC } = await import('../../../src-main/cli/device-session');
    const argsOf = (argv: string[]) => {
      const a = parseArgs(argv, { options: DEVICE_OPTION_SPEC });
      if (a instanceof Error) throw a;
      return a;
    };
    const fakeUsb = {
      describe: () => ({
        id: 'usb:0781:5581',
        kind: 'usb' as const,
        vendor: '0781',
        product: '5581',
        maxLun: 0,
      }),
      execute: () => Promise.reject(new Error('not sent')),
      reset: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const write10 = Uint8Array.from([0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(refuseWithoutForce(fakeUsb, argsOf([]), write10, 512)).toMatch(
      /WRITE\(10\) can overwrite or erase user data on the medium \(opcode 2Ah\)\. It was not sent to usb:0781:5581: add --force/,
    );
    expect(refuseWithoutForce(fakeUsb, argsOf(['--force']), write10, 512)).toBeUndefined();
    expect(
      refuseWithoutForce(
        fakeUsb,
        argsOf([]),
        Uint8Array.from([0xc7, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        16,
      ),
    ).toMatch(
      /Vendor opcode C7h is not declared by any vendor set in use; with 16 bytes of data-out/,
    );
    expect(
      refuseWithoutForce(fakeUsb, argsOf([]), Uint8Array.from([0x12, 0, 0, 0, 36, 0]), 0),
    ).toBeUndefined();
    const emuDevice = {
      ...fakeUsb,
      describe: () => ({ ...fakeUsb.describe(), kind: 'emu' as const }),
    };
    expect(refuseWithoutForce(emuDevice, argsOf([]), write10, 512)).toBeUndefined();
  });
});

describe('answers shorter than the data they could hold', () => {
  it('decodes the header of an INQUIRY asked for 5 bytes, and says when no data came', async () => {
    const five = await run(['inquiry', '--alloc', '5']);
    expect(five.code, five.err).toBe(0);
    expect(five.out).toMatch(/Additional length +\d+ \(\d+ bytes in all, 5 returned\)/);
    expect(five.out).not.toMatch(/Vendor/);
    const none = await run(['inquiry', '--alloc', '0']);
    expect(none).toMatchObject({ code: 0, out: 'GOOD (no data)\n' });
  });
});

describe('exit status of a device that cannot be used (sg3_utils categories)', () => {
  it('is a file error (15) for a device that is not there, a syntax error (1) for a string that names none', async () => {
    const absent = await run(['tur', '--device', 'usb:1234:5678']);
    expect(absent.code).toBe(15);
    expect(absent.err).toMatch(/no USB mass-storage \(Bulk-Only\) device 1234:5678 is attached/);
    expect((await run(['tur', '--device', 'emu:nope'])).code).toBe(1);
    expect((await run(['tur', '--device', 'usb:12'])).code).toBe(1);
    expect((await run(['tur', '--device', 'disk0'])).code).toBe(1);
  });

  it('leads a device, capture or trace refusal with the command and the option, as every other refusal', async () => {
    const cases: [string[], string][] = [
      [['tur', '--device', 'usb:12'], 'tur: --device: "usb:12" is not usb:VID:PID[#N]'],
      [['inquiry', '-d', 'emu:nope'], 'inquiry: --device: no emulated profile "nope"'],
      [
        ['tur', '--device', 'usb:1234:5678'],
        'tur: --device: no USB mass-storage (Bulk-Only) device',
      ],
      [['tur', '--capture', '/dev/null'], 'tur: --capture: /dev/null is not a regular file'],
      [
        ['tur', '--record', '/nonexistent/dir/x'],
        'tur: --record: /nonexistent/dir/x cannot be created',
      ],
    ];
    for (const [argv, lead] of cases) {
      const r = await run(argv);
      expect({ argv, lead: r.err.slice(0, lead.length) }).toEqual({ argv, lead });
    }
  });

  it("takes a status other than CHECK CONDITION as the outcome's category", async () => {
    const { exitCodeFor } = await import('../../../src-main/cli/device-session');
    const busy = { status: 0x08, dataIn: new Uint8Array(), residue: 0, durationMs: 1 };
    expect(exitCodeFor(busy)).toBe(26);
    expect(exitCodeFor({ ...busy, status: 0x18 })).toBe(24);
    expect((await run(['doctor', '--cdb', '00 00 00 00 00 00', '--status', 'BUSY'])).code).toBe(26);
    // With a service delivery failure the status field is a transport code, not a SCSI status.
    expect(
      (
        await run([
          'doctor',
          '--cdb',
          '00 00 00 00 00 00',
          '--status',
          '8',
          '--service-response',
          '1',
        ])
      ).code,
    ).not.toBe(26);
  });

  it('exits 98 for a CHECK CONDITION without sense from doctor, as raw does and sg3_utils', async () => {
    // sg_lib.c sg_err_category_sense: a sense buffer it cannot read is SG_LIB_CAT_SENSE (98).
    const { exitCodeFor } = await import('../../../src-main/cli/device-session');
    const noSense = { status: 0x02, dataIn: new Uint8Array(), residue: 0, durationMs: 1 };
    expect(exitCodeFor(noSense)).toBe(98);
    const doctor = await run(['doctor', '--cdb', '12 00 00 00 24 00', '--status', '2']);
    expect(doctor.out).toMatch(/no sense data was given/);
    expect(doctor.code).toBe(98);
    // With a CDB lint calls an error, too: the status decides, not the lint.
    expect((await run(['doctor', '--cdb', '12 00 00 24 00 00', '--status', '2'])).code).toBe(98);
  });

  it('exits 3 for BLANK CHECK and 10 for COPY ABORTED, the categories sg3_utils gives them', async () => {
    // Fixed-format sense with sense key 8h (BLANK CHECK), then Ah (COPY ABORTED) 1Dh/00h MISCOMPARE DURING VERIFY.
    const sense = (key: string, asc: string) =>
      `70 00 ${key} 00 00 00 00 0a 00 00 00 00 ${asc} 00 00 00 00 00`;
    const doctor = (s: string) =>
      run(['doctor', '--cdb', '28 00 00 00 00 00 00 00 01 00', '--status', '2', '--sense', s]);
    expect((await doctor(sense('08', '00'))).code).toBe(3);
    expect((await doctor(sense('0a', '1d'))).code).toBe(10);
  });

  it('reads COMMAND TERMINATED (22h) by its sense, as sg3_utils does, and CHECK CONDITION alike', async () => {
    const { exitCodeFor } = await import('../../../src-main/cli/device-session');
    // Fixed-format sense, ILLEGAL REQUEST, 24h/00h INVALID FIELD IN CDB.
    const sense = Uint8Array.from([0x70, 0, 5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0, 0, 0, 0, 0]);
    const terminated = { status: 0x22, sense, dataIn: new Uint8Array(), residue: 0, durationMs: 1 };
    expect(exitCodeFor(terminated)).toBe(5);
    expect(exitCodeFor({ ...terminated, status: 0x02 })).toBe(5);
    const senseHex = [...sense].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const doctor = await run([
      'doctor',
      '--cdb',
      '12 00 00 00 24 00',
      '--status',
      '0x22',
      '--sense',
      senseHex,
    ]);
    expect(doctor.code).toBe(5);
    expect(doctor.out).toMatch(/INVALID FIELD IN CDB/);
    expect(doctor.out).not.toMatch(/do not describe it/);
  });
});

describe('--json, --lun and --timeout on every device command', () => {
  it('read, write, reset and tur print JSON with the device and the request, data as lengths', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = testTempDir('json');
    const image = `emu:flash-stick?image=${join(dir, 'disk.img')}`;
    writeFileSync(join(dir, 'in.bin'), new Uint8Array(1024).fill(7));
    const w = await run([
      'write',
      '--lba',
      '4',
      '--file',
      join(dir, 'in.bin'),
      '--force',
      '-d',
      image,
      '--json',
    ]);
    expect(w.code, w.err).toBe(0);
    expect(JSON.parse(w.out)).toMatchObject({
      request: { direction: 'out', transferLength: 1024, dataOutLength: 1024, lun: 0 },
      outcome: { status: 0, residue: 0, dataInLength: 0 },
      lba: 4,
      blocks: 2,
      blockSize: 512,
    });
    const r = await run([
      'read',
      '--lba',
      '4',
      '--count',
      '2',
      '--file',
      join(dir, 'out.bin'),
      '-d',
      image,
      '--json',
    ]);
    const read = JSON.parse(r.out);
    expect(read).toMatchObject({ outcome: { dataInLength: 1024 }, file: join(dir, 'out.bin') });
    expect(read.outcome.dataIn).toBeUndefined();
    expect(JSON.parse((await run(['reset', '--json'])).out)).toMatchObject({ reset: 'done' });
    const tur = JSON.parse((await run(['tur', '--count', '3', '--json'])).out);
    expect(tur).toMatchObject({ completed: 3, request: { cdb: '00 00 00 00 00 00' } });
    expect(tur.device.id).toBe('emu:flash-stick');
  });

  it('read and tur address the LUN given, not LUN 0', async () => {
    const { join } = await import('node:path');
    const file = join(testTempDir('lun'), 'x.bin');
    // The flash stick has LUN 0 only: a CBW for LUN 1 is not meaningful (BOT 1.0 §6.2.2) and fails.
    expect((await run(['read', '--lun', '0', '--file', file])).code).toBe(0);
    const r = await run(['read', '--lun', '1', '--file', file]);
    expect(r.code).toBe(99);
    // READ CAPACITY(10), which gives the block size, is the first command LUN 1 fails.
    expect(r.out).toMatch(/8 bytes data-in, LUN 1\./);
    // The phase error's own diagnosis, ranked first, names the LUN rather than direction and
    // length; lint's finding about the LUN would say it again and is left out.
    expect(r.out).not.toMatch(/LUN 1 is past the highest this device has/);
    expect(r.out).toMatch(
      /1\. +\[error\] The device reported a phase error \(bCSWStatus 02h\)\.\s+The CBW addressed LUN 1, past the highest/,
    );
    expect(r.out).toMatch(/send the command to LUN 0, the only one it has\./);
    expect(r.out).not.toMatch(/transfer length and direction that match/);
    expect((await run(['tur', '--lun', '1'])).code).toBe(99);
    // The card reader's LUN 1 exists: its empty slot answers NOT READY.
    expect((await run(['tur', '--lun', '1', '-d', 'emu:card-reader'])).code).toBe(2);
  });

  it('read and write ask the block size with the --timeout given, not the default', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = testTempDir('timeout');
    const block = join(dir, 'b.bin');
    writeFileSync(block, new Uint8Array(512));
    for (const argv of [
      ['read', '--file', join(dir, 'r.bin')],
      ['write', '--lba', '0', '--file', block, '--force'],
    ]) {
      const trace = join(dir, `${argv[0] as string}.trace`);
      expect((await run([...argv, '--timeout', '1234', '--record', trace])).code).toBe(0);
      const sent = readFileSync(trace, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => JSON.parse(l).request as { cdb: string; timeoutMs: number });
      const at = (opcode: string) => sent.find((r) => r.cdb.startsWith(opcode))?.timeoutMs;
      expect({
        command: argv[0],
        readCapacity: at('25'),
        data: at(argv[0] === 'read' ? '88' : '8a'),
      }).toEqual({
        command: argv[0],
        readCapacity: 1234,
        data: 1234,
      });
    }
  });

  it('write-buffer stops, and fails, when the device takes only part of a chunk', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = testTempDir('wb-residue');
    const fw = join(dir, 'fw.bin');
    writeFileSync(fw, new Uint8Array(1024).fill(3));
    const trace = join(dir, 'wb.trace');
    const ok = ['write-buffer', '--file', fw, '--mode', '0x07', '--chunk', '512'];
    expect((await run([...ok, '-d', 'emu:fw-updatable', '--record', trace])).code).toBe(0);
    // The device's answer to the first chunk, as if it had taken 500 of its 512 bytes.
    const lines = readFileSync(trace, 'utf8').trimEnd().split('\n');
    const first = lines.findIndex((l) => l.includes('"cdb":"3b'));
    lines[first] = (lines[first] as string).replace('"residue":0', '"residue":12');
    writeFileSync(trace, `${lines.join('\n')}\n`);
    const r = await run([...ok, '-d', `replay:${trace}`]);
    expect(r.code).toBe(99);
    expect(r.out).toMatch(
      /WRITE BUFFER at offset 0: the device took only 500 of 512 bytes \(residue 12\); stopped with 500 of 1024 bytes sent/,
    );
    const j = JSON.parse((await run([...ok, '-d', `replay:${trace}`, '--json'])).out);
    expect(j).toMatchObject({
      offset: 0,
      request: { dataOutLength: 512 },
      outcome: { residue: 12 },
    });
  });
});

describe('nothing partial reported as success', () => {
  /** Records `args` against the drive, then replays it with the first line matching `cdb` edited. */
  async function replayEdited(
    name: string,
    args: string[],
    cdb: string,
    edit: (line: string) => string,
  ): Promise<string> {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const trace = join(testTempDir(name), 'session.trace');
    expect((await run([...args, '--record', trace])).code).toBe(0);
    const lines = readFileSync(trace, 'utf8').trimEnd().split('\n');
    const at = lines.findIndex((l) => l.includes(`"cdb":"${cdb}`));
    lines[at] = edit(lines[at] as string);
    writeFileSync(trace, `${lines.join('\n')}\n`);
    return trace;
  }

  it('a vendor data-out command the device took only part of fails', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const chunk = join(testTempDir('vendor-out'), 'chunk.bin');
    writeFileSync(chunk, new Uint8Array(512).fill(9));
    const args = ['vendor', 'example.firmware-download', '--file', chunk, '-d', 'emu:fw-updatable'];
    const trace = await replayEdited('vendor-out', args, 'c5', (l) =>
      l.replace('"residue":0', '"residue":12'),
    );
    const r = await run([...args.slice(0, 4), '-d', `replay:${trace}`]);
    expect(r.code).toBe(99);
    expect(r.err).toMatch(/^vendor: the device took only 500 of 512 bytes \(residue 12\)/);
    const whole = await run(args);
    expect(whole).toMatchObject({ code: 0, out: 'GOOD (512 bytes out)\n' });
  });

  it('write fails when the device took only part of the blocks, in the words the other data-out commands use', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = testTempDir('short-write');
    writeFileSync(join(dir, 'in.bin'), new Uint8Array(1024).fill(5));
    const args = ['write', '--lba', '4', '--file', join(dir, 'in.bin'), '--force'];
    const trace = await replayEdited('short-write', args, '8a', (l) =>
      l.replace('"residue":0', '"residue":512'),
    );
    const r = await run([...args, '-d', `replay:${trace}`]);
    expect(r.code).toBe(99);
    expect(r.err).toBe(`write: ${dataOutShortfall(1024, 512)}\n`);
    expect(dataOutShortfall(1024, 512)).toBe(
      'the device took only 512 of 1024 bytes (residue 512)',
    );
  });

  it('read writes no file when fewer blocks came than were asked for', async () => {
    const { existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(testTempDir('short-read'), 'out.bin');
    const args = ['read', '--lba', '0', '--count', '2', '--file', file];
    // The device's answer cut to one block, with the residue that says so.
    const trace = await replayEdited('short-read', args, '88', (l) =>
      l
        .replace(
          /"dataIn":"([0-9a-f ]+)"/,
          (_m, hex: string) => `"dataIn":"${hex.slice(0, 512 * 3 - 1)}"`,
        )
        .replace('"residue":0', '"residue":512'),
    );
    const { rmSync } = await import('node:fs');
    rmSync(file);
    const r = await run([...args, '-d', `replay:${trace}`]);
    expect(r.code).toBe(99);
    expect(r.err).toMatch(
      /^read: the device sent 512 of 1024 bytes \(residue 512\); .* was not written/,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('write and read count no blocks in a size the device did not give, and send nothing (as sg_dd)', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = testTempDir('no-block-size');
    writeFileSync(join(dir, 'in.bin'), new Uint8Array(4096).fill(7));
    const write = ['write', '--lba', '4', '--file', join(dir, 'in.bin'), '--force'];
    // READ CAPACITY(10) refused (05/24/00): WRITE(16) of 8 guessed 512-byte blocks once followed.
    const refused = await replayEdited('no-block-size-write', write, '25', (l) =>
      l.replace(
        /"outcome":\{.*\}\}$/,
        '"outcome":{"status":2,"dataIn":"","sense":"70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 00 00 00","residue":8,"cswStatus":1,"durationMs":0.1}}',
      ),
    );
    const w = await run([...write, '-d', `replay:${refused}`]);
    expect(w.code).toBe(5);
    expect(w.out).toMatch(/^25 00 00 00 00 00 00 00 00 00: CHECK CONDITION/);
    expect(w.out).not.toMatch(/^8a /m);
    expect(w.err).toBe(
      'write: the device did not give its block size (READ CAPACITY(10) failed), so no block was counted or sent\n',
    );
    // A LOGICAL BLOCK LENGTH IN BYTES of 0 reads as no size at all: 97, as a malformed answer.
    const file = join(dir, 'out.bin');
    const read = ['read', '--file', file];
    const zero = await replayEdited('no-block-size-read', read, '25', (l) =>
      l.replace('"dataIn":"00 03 ff ff 00 00 02 00"', '"dataIn":"00 03 ff ff 00 00 00 00"'),
    );
    const { rmSync, existsSync } = await import('node:fs');
    rmSync(file);
    const r = await run([...read, '-d', `replay:${zero}`]);
    expect(r.code).toBe(97);
    expect(r.err).toMatch(
      /^read: the device did not give its block size \(.*LOGICAL BLOCK LENGTH IN BYTES of 0\)/,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('says which command got an answer that does not read (97), as every refusal is led', async () => {
    // REQUEST SENSE answered with response code 00h: not sense data (SPC-5, sense data response codes).
    const args = ['request-sense'];
    const trace = await replayEdited('bad-sense', args, '03', (l) =>
      l.replace(/"dataIn":"70 /, '"dataIn":"00 '),
    );
    const r = await run([...args, '-d', `replay:${trace}`]);
    expect({ code: r.code, out: r.out }).toEqual({ code: 97, out: '' });
    expect(r.err).toMatch(/^request-sense: Byte 0 is 0x00: response code 00h is not sense data/);
  });

  it('a DriverKit timeout exits 33, and reset checks --lun like every command', async () => {
    const dk = ['doctor', '--cdb', '00 00 00 00 00 00', '--service-response', '1'];
    expect((await run([...dk, '--status', 'kSCSITaskStatus_TaskTimeoutOccurred'])).code).toBe(33);
    expect((await run(['reset', '--lun', '99'])).code).toBe(1);
  });
});

describe('renderOutcome', () => {
  it('shows every sense byte on the summary line, not the first 18', () => {
    // ABORTED COMMAND with a 14-byte ATA Status Return descriptor: 22 bytes in all (SAT-4).
    const sense = Uint8Array.from([
      0x72, 0x0b, 0, 0, 0, 0, 0, 0x0e, 0x09, 0x0c, 0, 0x04, 0, 0, 0, 0, 0, 0x4f, 0, 0xc2, 0x40,
      0x51,
    ]);
    const text = renderOutcome(
      {
        cdb: Uint8Array.from([0x85, 0x06, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0xe5, 0]),
        lun: 0,
        direction: 'none',
        transferLength: 0,
        timeoutMs: 1000,
      },
      { status: 2, dataIn: new Uint8Array(), sense, residue: 0, cswStatus: 1, durationMs: 1 },
    );
    expect(text).toMatch(
      /^ {2}sense 72 0b 00 00 00 00 00 0e 09 0c 00 04 00 00 00 00 00 4f 00 c2 40 51 — ABORTED COMMAND/m,
    );
  });
});

describe('showOutcome and sendOne: one exchange as every device command shows it', () => {
  const printed = () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (t: string) => void out.push(t),
      err: (t: string) => void err.push(t),
      readStdin: () => Promise.resolve({ ok: true as const, value: '' }),
    };
    return { out, err, io };
  };
  const args: ParsedArgs = { command: 'raw', positionals: [], options: new Map() };
  const inquiry = {
    cdb: Uint8Array.from([0x12, 0, 0, 0, 36, 0]),
    lun: 0,
    direction: 'in' as const,
    transferLength: 36,
    timeoutMs: 1000,
  };

  it('reads a GOOD answer as its command’s data, and calls a data-out the device cut short an error', async () => {
    const t = new EmulatedTransport(findProfile('fw-updatable') ?? expect.fail('no profile'));
    const p = printed();
    await sendOne(
      t,
      { ...inquiry, cdb: new Uint8Array(6), direction: 'none', transferLength: 0 },
      { args, io: p.io, device: {}, vendorSets: [] },
    );
    expect(await sendOne(t, inquiry, { args, io: p.io, device: {}, vendorSets: [] })).toBe(0);
    expect(p.out.at(-1)).toMatch(/Vendor +USBCDB/);
    const write = {
      ...inquiry,
      cdb: Uint8Array.from([0x2a, 0, 0, 0, 0, 0, 0, 0, 2, 0]),
      direction: 'out' as const,
      transferLength: 1024,
      dataOut: new Uint8Array(1024),
    };
    const short = {
      status: 0,
      dataIn: new Uint8Array(),
      residue: 512,
      cswStatus: 0,
      durationMs: 1,
    };
    expect(showOutcome(t, write, short, { args, io: p.io, device: {}, vendorSets: [] })).toBe(99);
    expect(p.err.at(-1)).toBe(`raw: ${dataOutShortfall(1024, 512)}`);
    await t.close();
  });
});
