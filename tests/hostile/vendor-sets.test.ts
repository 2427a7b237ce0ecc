/**
 * The vendor-set channels attacked through the real dispatch: mangled and
 * hostile set texts, names that are paths, and files in the data folder's
 * vendor-sets/ that are FIFOs, devices, directories or far too large. Every
 * request must get a reply (no crash, no hang), a saved set must survive
 * every refused save byte for byte, and nothing outside vendor-sets/ may be
 * touched. Each attack records what it measured in the hostile-input ledger.
 */
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_VENDOR_SET_TEXT } from '../../shared/ipc/contract';
import { dispatch } from '../../src-main/ipc/dispatch';
import { DeviceSessions, makeHandlers } from '../../src-main/ipc/handlers';
import { PresetStore } from '../../src-main/presets/store';
import { ACME_SET_TEXT } from '../acme-vendor-set';
import { runUsbcdb } from '../cli-run';
import { EXIT } from '../../src-main/cli/exit-codes';
import { testTempDir } from '../temp-dir';
import { recordHostile } from './report';
import { measure } from './measure';
import { encodeFrame } from '../../shared/ipc/frame';
import { MAX_REPLY_BYTES } from '../../shared/ipc/web-protocol';
import { MAX_USER_SETS } from '../../src-main/ipc/vendor-set-store';
import { BUILT_IN_SETS } from '../../shared/vendor-sets/registry';

/** Replies slower than this count as hangs (every request here is answered from memory or a small file). */
const HANG_MS = 5000;

function app() {
  const dataDir = testTempDir('hostile-vendor');
  const sessions = new DeviceSessions(dataDir);
  const handlers = makeHandlers(sessions, new PresetStore(join(dataDir, 'presets.json')));
  let id = 0;
  /** The reply, or 'hang' when none came in time; 'crash' when dispatch itself threw. */
  const call = async (
    channel: string,
    payload: unknown,
  ): Promise<Awaited<ReturnType<typeof dispatch>> | 'hang' | 'crash'> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), HANG_MS)));
    try {
      return await Promise.race([dispatch(handlers, { id: ++id, channel, payload }), late]);
    } catch {
      return 'crash';
    } finally {
      clearTimeout(timer);
    }
  };
  return { dataDir, sessions, call };
}

/** The ledger's counts for one reply of `call`: a crash or a hang, or neither. */
function failures(reply: Awaited<ReturnType<ReturnType<typeof app>['call']>>): {
  crashes: number;
  hangs: number;
} {
  return { crashes: reply === 'crash' ? 1 : 0, hangs: reply === 'hang' ? 1 : 0 };
}

/** Every file under `dir` with its bytes, to see that nothing changed. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const p = join(dir, f);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isFile()) out.set(relative(dir, p), readFileSync(p).toString('base64'));
  }
  return out;
}

/** TEST UNIT READY to the default emulated drive: a command that opens it and reads nothing. */
const TEST_UNIT_READY = {
  device: 'emu:',
  cdb: new Uint8Array(6),
  lun: 0,
  direction: 'none',
  transferLength: 0,
  timeoutMs: 1000,
};

/** A deterministic generator, so a failing input can be reproduced. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Mangled versions of a valid set: flipped, cut, duplicated and hostile values. */
function mangled(count: number): string[] {
  const next = random(10);
  const out: string[] = [
    '',
    'null',
    '[]',
    '"acme"',
    '{}',
    '['.repeat(200_000),
    '{"a":'.repeat(50_000),
    ACME_SET_TEXT.replace('"name": "acme"', '"name": "../../evil"'),
    ACME_SET_TEXT.replace('"name": "acme"', '"name": "__proto__"'),
    ACME_SET_TEXT.replace('"vendor":', '"__proto__": {"polluted": true}, "vendor":'),
    ACME_SET_TEXT.replace('"cdbLength": 10', '"cdbLength": 1e308'),
    ACME_SET_TEXT.replace('"length": 8', '"length": 1048577'),
    ACME_SET_TEXT.replace('"offset": 5', '"offset": 16777216'),
    ACME_SET_TEXT.replace('"step": 0', '"step": 7'),
    ACME_SET_TEXT.replace('"name": "acme"', '"name": "acme", "name": "other"'),
    `\uFEFF${ACME_SET_TEXT}`,
  ];
  for (let i = out.length; i < count; i++) {
    const chars = [...ACME_SET_TEXT];
    const edits = 1 + Math.floor(next() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(next() * chars.length);
      const kind = next();
      if (kind < 0.4) chars[at] = String.fromCharCode(Math.floor(next() * 128));
      else if (kind < 0.7) chars.splice(at, 1 + Math.floor(next() * 20));
      else chars.splice(at, 0, ...'{"x":[1,'.slice(0, 1 + Math.floor(next() * 8)));
    }
    out.push(chars.join(''));
  }
  return out;
}

describe('vendorSets.save: hostile texts', () => {
  it('answers every mangled set, and a refused save leaves the saved set as it was', async () => {
    const { dataDir, sessions, call } = app();
    const saved = await call('vendorSets.save', { text: ACME_SET_TEXT });
    expect(saved).toMatchObject({ ok: true });
    // A sentinel beside the data folder's vendor-sets/: no save may touch it.
    writeFileSync(join(dataDir, 'sentinel'), 'keep');
    const before = snapshot(dataDir);
    const inputs = mangled(300);
    let crashes = 0;
    let hangs = 0;
    let dataLost = 0;
    for (const text of inputs) {
      const r = await call('vendorSets.save', { text });
      if (r === 'crash' || (r !== 'hang' && !r.ok && r.error.code === 'internal')) crashes++;
      else if (r === 'hang') hangs++;
      else if (r.ok) {
        // A mangling that still parses may save, but only as vendor-sets/NAME.json.
        for (const f of snapshot(dataDir).keys())
          if (!before.has(f) && !/^vendor-sets\/[a-z][a-z0-9-]*\.json$/.test(f)) dataLost++;
        // Put the original back for the next input.
        await call('vendorSets.save', { text: ACME_SET_TEXT });
      }
    }
    for (const [f, bytes] of before)
      if (snapshot(dataDir).get(f) !== bytes && f !== join('vendor-sets', 'acme.json')) dataLost++;
    expect(readFileSync(join(dataDir, 'vendor-sets', 'acme.json'), 'utf8')).toBe(ACME_SET_TEXT);
    expect(Object.prototype).not.toHaveProperty('polluted');
    recordHostile({
      surface: 'vendor sets: vendorSets.save',
      input: 'mangled set JSON: flips, cuts, deep nesting, __proto__, duplicate keys, huge numbers',
      tried: inputs.length,
      crashes,
      hangs,
      dataLost,
    });
    expect({ crashes, hangs, dataLost }).toEqual({ crashes: 0, hangs: 0, dataLost: 0 });
    await sessions.close();
  }, 120_000);

  it('refuses a text past the limit in the contract, before it is parsed', async () => {
    const { dataDir, sessions, call } = app();
    const r = await call('vendorSets.save', { text: ' '.repeat(MAX_VENDOR_SET_TEXT + 1) });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(snapshot(dataDir).size).toBe(0);
    recordHostile({
      surface: 'vendor sets: vendorSets.save',
      input: 'a text one character past 4 MiB',
      tried: 1,
      ...failures(r),
      dataLost: 0,
    });
    await sessions.close();
  });
});

describe('vendor-set text that would drive a terminal or break a line', () => {
  /** What a terminal or a source file takes as other than one line of text (shared/scsi/printable.ts). */
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/;
  /** [the path the refusal names, text of the set, what it is replaced with]. */
  const cases: [string, string, string][] = [
    ['commands.0.name', '"ACME READ TEMPERATURE"', '"ACME \\u001b[31mRED\\u001b[0m"'],
    ['description', '"ACME bridge', '"\\u001b]0;TITLE\\u0007\\u001b[2JACME bridge'],
    ['commands.0.fields.0.name', '"SENSOR"', '"SENSOR */\\nkr = KERN_SUCCESS; //"'],
    ['commands.0.fields.1.meaning', '"Bytes the host', '"\\u009b2JBytes the host'],
    ['commands.0.summary', '"Returns the bridge', '"\\u202eReturns the bridge'],
    ['unknown key', '"vendor":', '"\\u001b[2J\\u001b]0;x\\u0007": 1, "vendor":'],
  ];

  it('refuses each in usbcdb vendor and vendorSets.save, naming the field, and writes none of it out', async () => {
    const dir = testTempDir('hostile-vendor-text');
    const { sessions, call } = app();
    let crashes = 0;
    let hangs = 0;
    for (const [path, from, to] of cases) {
      const text = ACME_SET_TEXT.replace(from, to);
      expect(text, path).not.toBe(ACME_SET_TEXT);
      const file = join(dir, 'evil.json');
      writeFileSync(file, text);
      const cli = await runUsbcdb(['vendor', '--vendor-set', file]);
      expect(cli.code, path).toBe(EXIT.fileError);
      expect(cli.err, path).toContain(path);
      expect(cli.err + cli.out, path).not.toMatch(UNPRINTABLE);
      const r = await call('vendorSets.save', { text });
      if (r === 'crash') crashes++;
      else if (r === 'hang') hangs++;
      else {
        expect(r.ok, path).toBe(false);
        if (!r.ok) {
          expect(r.error.message, path).toContain(path);
          expect(r.error.message, path).not.toMatch(UNPRINTABLE);
        }
      }
    }
    recordHostile({
      surface: 'vendor sets: text fields',
      input: 'ESC and OSC sequences, C1 CSI, line breaks, bidi overrides in names, sentences, keys',
      tried: 2 * cases.length,
      crashes,
      hangs,
      dataLost: 0,
    });
    expect({ crashes, hangs }).toEqual({ crashes: 0, hangs: 0 });
    await sessions.close();
  });
});

describe('vendor-set names: paths are refused', () => {
  it('refuses every path-like name on delete, export and sequence.run, touching no file', async () => {
    const { dataDir, sessions, call } = app();
    await call('vendorSets.save', { text: ACME_SET_TEXT });
    writeFileSync(join(dataDir, 'presets.json'), '[]');
    const before = snapshot(dataDir);
    const names = [
      '../presets',
      '..',
      '../../../../etc/passwd',
      '/etc/passwd',
      'vendor-sets/../presets',
      'acme/../../presets',
      '.acme',
      'acme.json',
      'C:\\Windows',
      '\\\\server\\share',
      'con',
      'acme\u0000.json',
      'a'.repeat(65),
      'acme\n',
      '%2e%2e%2fpresets',
      'ac me',
      '',
      42,
      null,
      { name: 'acme' },
    ];
    let crashes = 0;
    let hangs = 0;
    let tried = 0;
    for (const name of names)
      for (const [channel, payload] of [
        ['vendorSets.delete', { name }],
        ['vendorSets.export', { name }],
        [
          'sequence.run',
          { device: 'emu:', set: name, sequence: 'acme.cool-down', lun: 0, timeoutMs: 1000 },
        ],
      ] as const) {
        tried++;
        const r = await call(channel, payload);
        if (r === 'crash' || (r !== 'hang' && !r.ok && r.error.code === 'internal')) crashes++;
        if (r === 'hang') hangs++;
        // "acme.json" is a name, not a path: refused as a set that does not exist; "con" as a
        // device on Windows.
        if (r !== 'crash' && r !== 'hang' && r.ok)
          throw new Error(`${channel} accepted ${JSON.stringify(name)}`);
      }
    const after = snapshot(dataDir);
    let dataLost = 0;
    for (const [f, bytes] of before) if (after.get(f) !== bytes) dataLost++;
    recordHostile({
      surface: 'vendor sets: names',
      input: 'traversal, absolute, UNC, hidden, NUL, over-long and non-string set names',
      tried,
      crashes,
      hangs,
      dataLost,
    });
    expect({ crashes, hangs, dataLost }).toEqual({ crashes: 0, hangs: 0, dataLost: 0 });
    await sessions.close();
  });
});

describe('vendor-sets/ holding what is not a set', () => {
  it('lists a FIFO, a device, a directory, a huge file and broken bytes as problems, without hanging', async () => {
    const { dataDir, sessions, call } = app();
    await call('vendorSets.save', { text: ACME_SET_TEXT });
    const dir = join(dataDir, 'vendor-sets');
    const fifo = spawnSync('mkfifo', [join(dir, 'fifo.json')]);
    symlinkSync('/dev/zero', join(dir, 'zero.json'));
    mkdirSync(join(dir, 'folder.json'));
    writeFileSync(join(dir, 'huge.json'), Buffer.alloc(MAX_VENDOR_SET_TEXT + 1, 0x20));
    writeFileSync(join(dir, 'bytes.json'), Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
    symlinkSync('/etc/passwd', join(dir, 'passwd.json'));
    const r = await call('vendorSets.list', {});
    if (r === 'hang' || r === 'crash' || !r.ok) throw new Error(`list failed: ${String(r)}`);
    const listed = r.value as { name: string; problem?: string; commands: unknown[] }[];
    const byName = new Map(listed.map((s) => [s.name, s]));
    expect(byName.get('acme')?.problem).toBeUndefined();
    const expected = [
      'zero',
      'folder',
      'huge',
      'bytes',
      'passwd',
      ...(fifo.status === 0 ? ['fifo'] : []),
    ];
    for (const name of expected) {
      const s = byName.get(name);
      // The folder is not a file: it may be left out; every file is listed with its problem.
      if (name === 'folder' && !s) continue;
      expect(s?.problem, name).toBeTruthy();
      expect(s?.commands, name).toEqual([]);
    }
    // Devices still open and answer with the good set in place.
    const exec = await call('device.execute', TEST_UNIT_READY);
    recordHostile({
      surface: 'vendor sets: the data folder',
      input:
        'vendor-sets/ holding a FIFO, /dev/zero, /etc/passwd, a directory, 4 MiB + 1, bad UTF-8',
      tried: expected.length,
      ...failures(exec),
      dataLost: 0,
    });
    expect(exec).toMatchObject({ ok: true });
    await sessions.close();
  }, 30_000);
});

/**
 * Fills the data folder's vendor-sets/ with `count` sets just under 4 MiB each: the acme set
 * renamed acme0, acme1…, every line indented to fill it. Answers the folder.
 */
function largeSets(dataDir: string, count: number): string {
  const lines = ACME_SET_TEXT.split('\n');
  const indent = ' '.repeat(
    Math.floor((MAX_VENDOR_SET_TEXT - ACME_SET_TEXT.length) / lines.length),
  );
  const dir = join(dataDir, 'vendor-sets');
  mkdirSync(dir);
  for (let i = 0; i < count; i++)
    writeFileSync(
      join(dir, `acme${i}.json`),
      lines.map((l) => indent + l.replaceAll('acme', `acme${i}`)).join('\n'),
    );
  return dir;
}

describe('vendor-sets/ full of large sets', () => {
  it('keeps the list of sets within what the web bridge carries, saying which sets it left out', async () => {
    const { dataDir, sessions, call } = app();
    // 20 × 4 MiB: the list carries each set's text, so it would be 80 MiB, over the reply bound.
    const dir = largeSets(dataDir, 20);
    const listed = await call('vendorSets.list', {});
    if (listed === 'hang' || listed === 'crash' || !listed.ok)
      throw new Error(`list failed: ${JSON.stringify(listed)}`);
    const carried = encodeFrame(listed, MAX_REPLY_BYTES);
    const sets = listed.value as { name: string; problem?: string }[];
    const left = sets.filter((s) => s.problem !== undefined);
    // A set past the bound is refused when saved, in words, and nothing is written.
    const before = snapshot(dir);
    const saved = await call('vendorSets.save', { text: ACME_SET_TEXT });
    const unchanged = [...snapshot(dir)].every(([f, b]) => before.get(f) === b);
    recordHostile({
      surface: 'vendor sets: the data folder',
      input: '20 sets of 4 MiB in vendor-sets/, listed, then one more saved',
      tried: 2,
      ...failures(saved),
      dataLost: unchanged ? 0 : 1,
    });
    expect(carried.ok, carried.ok ? '' : carried.error.message).toBe(true);
    expect(sets).toHaveLength(20 + BUILT_IN_SETS.length);
    expect(left.length).toBeGreaterThan(0);
    for (const s of left) expect(s.problem).toMatch(/left out: the sets before it take/);
    expect(saved).toMatchObject({ ok: false, error: { message: expect.stringMatching(/MiB/) } });
    expect(unchanged).toBe(true);
    await sessions.close();
  }, 60_000);

  it('does not read and parse every set again for each command', async () => {
    const { dataDir, sessions, call } = app();
    const dir = largeSets(dataDir, MAX_USER_SETS);
    // The first command opens the drive, which speaks the sets: they are read once here.
    expect(await call('device.execute', TEST_UNIT_READY)).toMatchObject({ ok: true });
    const listed = await call('vendorSets.list', {});
    const sets = listed !== 'hang' && listed !== 'crash' && listed.ok ? listed.value : [];
    expect(sets).toHaveLength(MAX_USER_SETS + BUILT_IN_SETS.length);
    const commands = 10;
    let answered = 0;
    const m = await measure(async () => {
      for (let i = 0; i < commands; i++)
        if ((await call('device.execute', TEST_UNIT_READY)) !== 'hang') answered++;
    });
    recordHostile({
      surface: 'vendor sets: the data folder',
      input: `${MAX_USER_SETS} sets of 4 MiB in vendor-sets/, then ${commands} commands`,
      tried: commands,
      crashes: m.uncaught,
      hangs: commands - answered,
      dataLost: 0,
    });
    // Reading and parsing 128 MiB of sets took the event loop for most of a second per command.
    expect(m.longestStallMs).toBeLessThan(250);
    // A set edited on disk is read again.
    writeFileSync(
      join(dir, 'acme0.json'),
      ACME_SET_TEXT.replaceAll('acme', 'acme0').replace(
        '"vendor": "ACME Storage"',
        '"vendor": "ACME Storage, edited"',
      ),
    );
    const again = await call('vendorSets.list', {});
    const acme0 =
      again !== 'hang' && again !== 'crash' && again.ok
        ? (again.value as { name: string; vendor: string }[]).find((s) => s.name === 'acme0')
        : undefined;
    expect(acme0?.vendor).toBe('ACME Storage, edited');
    await sessions.close();
  }, 60_000);
});
