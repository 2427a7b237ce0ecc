/**
 * The CLI's numeric options, fuzzed: every number a device command takes, given values a
 * field or the transport cannot hold (negative, fractional, past 8, 16, 32 and 64 bits, not a
 * number at all) against the emulated drives. Each must end in a sentence naming the option or
 * the field (exit 1), or in what the device answered — never in usbcdb's "internal error"
 * (a crash of the command), a death by signal, or a command that does not end (a hang). Each
 * runs as a process of its own, so a command looping without end is killed and counted
 * rather than taking the test down with it (a WRITE BUFFER --chunk 0 once did).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../temp-dir';
import { recordHostile } from './report';

/** Values no field of these commands holds, or no number at all. */
const HOSTILE = [
  '-1',
  '1.5',
  'abc',
  '',
  '0x',
  '0',
  '64',
  '256',
  '0x1ff',
  '65536',
  '16777216',
  '4294967296',
  '18446744073709551616',
  '99999999999999999999999',
];

/** Longer than any of these commands takes on an emulated drive: past it, a hang. */
const HANG_MS = 15_000;

/** Command lines run at once (each a process). */
const AT_ONCE = 4;

interface Ended {
  readonly code: number | null;
  readonly killed: boolean;
  readonly signal: NodeJS.Signals | null;
  readonly err: string;
}

/** `usbcdb ARGS` as a process, killed past HANG_MS. */
function runProcess(args: readonly string[]): Promise<Ended> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      ['bin/usbcdb.js', ...args],
      { timeout: HANG_MS, killSignal: 'SIGKILL', maxBuffer: 1 << 24 },
      (_error, _stdout, stderr) =>
        done({ code: child.exitCode, killed: child.killed, signal: child.signalCode, err: stderr }),
    );
  });
}

describe('the CLI with hostile numbers', () => {
  it('ends every device command with a clear refusal or the device’s answer: no internal error, no hang', async () => {
    const dir = testTempDir('cli-numbers');
    const fw = join(dir, 'fw.bin');
    writeFileSync(fw, new Uint8Array(4096));
    const out = join(dir, 'out.bin');
    // Each command line, with the option to fuzz last.
    const commands: string[][] = [
      ['inquiry', '--vpd'],
      ['inquiry', '--alloc'],
      ['mode-sense', '--page'],
      ['mode-sense', '--pc'],
      ['opcodes', '--op'],
      ['opcodes', '--op', '0x12', '--sa'],
      ['read', '--file', out, '--lba'],
      ['read', '--file', out, '--count'],
      ['raw', '12 00 00 00 24 00', '--in'],
      ['raw', '00 00 00 00 00 00', '--lun'],
      ['tur', '--lun'],
      ['write-buffer', '--file', fw, '--mode', '0x07', '--chunk'],
      ['write-buffer', '--file', fw, '--mode', '0x07', '--buffer-id'],
      ['write-buffer', '--file', fw, '--mode'],
    ];
    const lines = commands.flatMap((command) =>
      HOSTILE.map((value) => [...command, value, '--device', 'emu:fw-updatable']),
    );
    const crashes: string[] = [];
    const hangs: string[] = [];
    const refusals: string[] = [];
    for (let i = 0; i < lines.length; i += AT_ONCE) {
      const batch = lines.slice(i, i + AT_ONCE);
      const ended = await Promise.all(batch.map(runProcess));
      for (const [j, r] of ended.entries()) {
        const line = (batch[j] ?? []).join(' ');
        if (r.killed) hangs.push(line);
        else if (r.signal !== null || /internal error/.test(r.err))
          crashes.push(`${line}: ${r.signal ?? r.err}`);
        // A refusal is one sentence led by the command's name.
        else if (r.code === 1 && !/^[a-z-]+: \S/.test(r.err)) refusals.push(`${line}: ${r.err}`);
      }
    }
    const tried = lines.length;
    recordHostile({
      surface: 'CLI numeric options',
      input: 'out-of-range, negative, fractional and non-numbers in every device command',
      tried,
      crashes: crashes.length,
      hangs: hangs.length,
      dataLost: 0,
    });
    expect({ crashes, hangs, refusals }).toEqual({ crashes: [], hangs: [], refusals: [] });
  }, 600_000);
});
