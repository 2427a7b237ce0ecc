import { describe, expect, it } from 'vitest';
import { checkDataName, checkDeviceId, toDataName } from '../../../shared/ipc/names';
import {
  canonicalHexLength,
  firstNonCanonicalHex,
  parseHex,
  toCanonicalHex,
} from '../../../shared/scsi/hex';

describe('checkDataName: a name in the data folder, never a path', () => {
  it.each(['lab-disk', 'a', 'run_1.jsonl', 'X9.img', 'a'.repeat(64), 'null', 'com10', 'console'])(
    'takes %s',
    (name) => {
      expect(checkDataName(name, 'the image name')).toEqual({ ok: true, value: name });
    },
  );

  it.each([
    ['', /1 to 64 characters/],
    ['a'.repeat(65), /1 to 64 characters/],
    ['/etc/passwd', /not a path/],
    ['../x', /not a path/],
    ['a/../b', /not a path/],
    ['a..b', /never hold "\.\."/],
    ['.hidden', /start with a letter or digit/],
    ['-rf', /start with a letter or digit/],
    ['a b', /only letters, digits/],
    ['a\\b', /only letters, digits/],
    ['a\u0000b', /only letters, digits/],
    ['C:x', /only letters, digits/],
    // Windows opens these as devices in any folder, with any extension.
    ['NUL', /a device on Windows/],
    ['con', /a device on Windows/],
    ['aux.img', /a device on Windows/],
    ['COM1.json', /a device on Windows/],
    ['lpt9.jsonl', /a device on Windows/],
    ['prn.', /a device on Windows/],
  ])('refuses %j', (name, why) => {
    const r = checkDataName(name, 'the image name');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(why);
  });
});

describe('toDataName: a file name the user picked, made into a name', () => {
  it.each([
    ['my run.jsonl', 'my_run.jsonl'],
    ['C:\\Users\\me\\trace.jsonl', 'trace.jsonl'],
    ['/home/me/../trace.jsonl', 'trace.jsonl'],
    ['..hidden', 'hidden'],
    ['a..b', 'a.b'],
    ['???', 'trace'],
    ['é.jsonl', 'jsonl'],
    ['nul.jsonl', 'nul_.jsonl'],
    ['C:\\traces\\COM3', 'COM3_'],
  ])('%j becomes %j', (file, name) => {
    expect(toDataName(file)).toBe(name);
    expect(checkDataName(toDataName(file), 'x').ok).toBe(true);
  });
});

describe('checkDeviceId: what a request may name', () => {
  it.each([
    'emu:',
    'emu:flash-stick',
    'emu:flash-stick?image=lab-disk',
    'usb:0781:5581',
    'usb:0781:5581#2',
    'replay:run.jsonl',
  ])('takes %s', (id) => expect(checkDeviceId(id).ok).toBe(true));

  it.each([
    'emu:flash-stick?image=/tmp/x',
    'emu:flash-stick?image=../x',
    'emu:flash-stick?image=',
    'replay:/etc/passwd',
    'replay:../../x',
    'replay:',
    'usb:12:34',
    'file:///etc/passwd',
    `emu:${'a'.repeat(300)}`,
  ])('refuses %s', (id) => expect(checkDeviceId(id).ok).toBe(false));

  it.each([
    ['emu:flash-stick?image=disks/a.img', /the image name "disks\/a\.img" may hold only letters/],
    ['emu:flash-stick?image=../evil', /the image name "\.\.\/evil" may hold only letters/],
    ['emu:flash-stick?image=a\\b', /the image name "a\\b" may hold only/],
    ['emu:flash-stick?image=a#b', /the image name "a#b" may hold only/],
    [`emu:flash-stick?image=${'a'.repeat(300)}`, /the image name must be 1 to 64 characters long/],
    ['replay:../../x', /the trace name "\.\.\/\.\.\/x" may hold only/],
  ])('refuses the name in %s by the rule for names', (id, message) => {
    const r = checkDeviceId(id);
    expect(r.ok ? undefined : r.error.message).toMatch(message);
  });
});

describe('firstNonCanonicalHex: the form the contract carries, checked in one pass', () => {
  it.each([
    ['', -1],
    ['12', -1],
    ['12 00 24', -1],
    ['1', 0],
    ['12 ', 2],
    ['12  00', 3],
    ['12 0', 3],
    ['12 0g', 4],
    ['12 AB', 3],
    ['12\t00', 2],
  ])('%j → %i', (text, at) => expect(firstNonCanonicalHex(text)).toBe(at));

  it('checks and decodes 16 MiB without running out of stack', () => {
    const text = Array.from({ length: 16 * 1024 * 1024 }, (_, i) =>
      (i & 0xff).toString(16).padStart(2, '0'),
    ).join(' ');
    expect(firstNonCanonicalHex(text)).toBe(-1);
    const r = parseHex(text);
    expect(r.ok && r.value.length).toBe(16 * 1024 * 1024);
    expect(r.ok && Array.from(r.value.subarray(254, 258))).toEqual([254, 255, 0, 1]);
  });
});

describe('canonicalHexLength: the bytes canonical hex holds, without decoding it', () => {
  it.each([
    ['', 0],
    ['12', 1],
    ['12 00 24', 3],
  ])('%j → %i', (text, n) => expect(canonicalHexLength(text)).toBe(n));
});

describe('toCanonicalHex: the form the contract carries, from any hex a person writes', () => {
  it('keeps canonical text as it is, and writes other forms so', () => {
    const text = '12 00 24';
    expect(toCanonicalHex(text)).toEqual({ ok: true, value: text });
    expect(toCanonicalHex('0x12,0x00, 24h')).toEqual({ ok: true, value: '12 00 24' });
    expect(toCanonicalHex('12 zz', 'data-out')).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^data-out: "zz" is not hexadecimal/) },
    });
  });
});
