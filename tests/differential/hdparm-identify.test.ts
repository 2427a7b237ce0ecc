/**
 * Differential test: usbcdb's reading of ATA IDENTIFY DEVICE data
 * (shared/scsi/parsers/ata-identify.ts, through the `sat` set's layout, which
 * the app decodes the page with and the probe reads) against hdparm's
 * `--Istdin`, which decodes the 256 words without a drive. Pages built from a
 * fixed seed: model, serial and firmware strings, 28- and 48-bit capacities
 * with the 48-bit feature on or off, logical sector sizes through word 106,
 * SMART supported and enabled, and the integrity word valid, wrong or
 * absent, with the feature words now and then not valid (word 83 bits 15:14
 * other than 01b), which hdparm then does not read.
 *
 * Deliberate differences:
 * - hdparm prints no sector size without a valid word 106; ACS-4 then means 256 words (512 bytes),
 *   which usbcdb says.
 * - hdparm takes a drive whose word 83 is FFFFh for one older than ATA-5 and gives no checksum
 *   verdict for it; there usbcdb's verdict is not compared (every other field is).
 */
import { describe, expect, it } from 'vitest';
import { parseAtaIdentify } from '../../shared/scsi/parsers/ata-identify';
import { runPeer } from './peers';
import { seeded } from './seeded';

function hdparm(words: readonly number[]): string {
  const input = `${words.map((w) => w.toString(16).padStart(4, '0')).join(' ')}\n`;
  return runPeer('hdparm', 'hdparm', ['--Istdin'], input);
}

const next = seeded(0xa7a1d);

/** ATA strings: two characters a word, the first in the high byte (ACS-4), space padded. */
function putText(words: number[], first: number, count: number, text: string): void {
  const padded = text.padEnd(count * 2, ' ');
  for (let i = 0; i < count; i++)
    words[first + i] = (padded.charCodeAt(2 * i) << 8) | padded.charCodeAt(2 * i + 1);
}

function randomText(max: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_. ';
  const length = 1 + next(max);
  return (
    Array.from({ length }, () => chars[next(chars.length)])
      .join('')
      .trim() || 'X'
  );
}

/** One IDENTIFY DEVICE page as 256 words. */
function identify(): number[] {
  const w = Array<number>(256).fill(0);
  putText(w, 10, 10, randomText(20));
  putText(w, 23, 4, randomText(8));
  putText(w, 27, 20, randomText(40));
  w[49] = 1 << 9; // LBA supported, so hdparm prints the capacities
  // MAJOR VERSION NUMBER: ATA-4 to ATA8-ACS, as a drive of the last twenty years says. hdparm
  // judges a drive claiming none to predate ATA-5's integrity word and gives it no checksum verdict.
  w[80] = 0x01f0;
  const sectors28 = next(0x10000000);
  w[60] = sectors28 & 0xffff;
  w[61] = sectors28 >>> 16;
  // Words 82–87: valid (bits 15:14 = 01b) mostly; otherwise 0000h or FFFFh, which say nothing.
  const valid = next(5) !== 0;
  const lba48 = next(2) === 0;
  const smart = next(3);
  w[82] = valid ? (1 << 14) | (smart > 0 ? 1 : 0) : next(2) === 0 ? 0 : 0xffff;
  w[83] = valid ? (1 << 14) | (lba48 ? 1 << 10 : 0) : next(2) === 0 ? 0 : 0xffff;
  w[84] = valid ? 1 << 14 : 0;
  w[85] = valid ? (smart === 2 ? 1 : 0) : 0;
  w[86] = valid && lba48 ? 1 << 10 : 0;
  w[87] = valid ? 1 << 14 : 0;
  const sectors48 = BigInt(next(0x40000000)) * 0x10000n + BigInt(next(0x10000));
  for (let i = 0; i < 4; i++) w[100 + i] = Number((sectors48 >> BigInt(16 * i)) & 0xffffn);
  // Word 106: valid with a long logical sector (words 117–118), valid without, or not valid.
  const sectorCase = next(3);
  w[106] = sectorCase === 2 ? 0 : (1 << 14) | (sectorCase === 0 ? 1 << 12 : 0);
  const sectorWords = [256, 2048, 260][next(3)] ?? 256;
  w[117] = sectorWords & 0xffff;
  w[118] = sectorWords >>> 16;
  // Word 255: A5h and the checksum that makes the 512 bytes sum to 0, a wrong one, or nothing.
  const integrity = next(3);
  if (integrity < 2) {
    w[255] = 0xa5;
    const sum = w.reduce((s, x) => s + (x & 0xff) + (x >> 8), 0) & 0xff;
    w[255] = 0xa5 | ((((0x100 - sum) & 0xff) ^ (integrity === 1 ? 0x01 : 0)) << 8);
  }
  return w;
}

/** The fields both read, from hdparm's text. */
function theirs(text: string): Record<string, string> {
  const field = (re: RegExp): string => re.exec(text)?.[1]?.trim() ?? '(none)';
  const smart = /^\s*(\*?)\s+SMART feature set$/m.exec(text);
  return {
    model: field(/Model Number:\s*(.*)$/m),
    serial: field(/Serial Number:\s*(.*)$/m),
    firmware: field(/Firmware Revision:\s*(.*)$/m),
    sectors28: field(/LBA {4}user addressable sectors:\s*(\d+)/),
    sectors48: field(/LBA48 {2}user addressable sectors:\s*(\d+)/),
    logicalSector: /Logical {2}Sector size:\s*(\d+) bytes/.exec(text)?.[1] ?? '512',
    smart: smart ? (smart[1] === '*' ? 'enabled' : 'supported') : 'no',
    // "incorrect (0x01), expected 0xff": the verdict is compared.
    checksum: field(/^Checksum: (\w+)/m),
  };
}

/** The same fields from usbcdb's reading, in hdparm's words. */
function ours(words: readonly number[]): Record<string, string> {
  const bytes = Uint8Array.from(words.flatMap((w) => [w & 0xff, w >> 8]));
  const r = parseAtaIdentify(bytes);
  if (!r.ok) throw new Error(r.error.message);
  const id = r.value;
  return {
    model: id.model,
    serial: id.serial,
    firmware: id.firmware,
    sectors28: String(id.sectors28),
    sectors48: id.sectors48 !== undefined ? String(id.sectors48) : '(none)',
    logicalSector: String(id.logicalSectorBytes),
    smart: id.smartEnabled ? 'enabled' : id.smartSupported ? 'supported' : 'no',
    checksum: { valid: 'correct', invalid: 'incorrect', absent: '(none)' }[id.checksum],
  };
}

/** hdparm's reading, with the checksum set aside where it gives none for a pre-ATA-5 drive. */
function comparable(
  fields: Record<string, string>,
  words: readonly number[],
): Record<string, string> {
  return words[83] === 0xffff ? { ...fields, checksum: 'not compared' } : fields;
}

describe('IDENTIFY DEVICE data against hdparm --Istdin', () => {
  const pages = Array.from({ length: 120 }, identify);

  it(`reads ${pages.length} pages as hdparm does`, () => {
    const differences = pages.flatMap((words) => {
      const mine = comparable(ours(words), words);
      const theirsNow = comparable(theirs(hdparm(words)), words);
      return JSON.stringify(mine) === JSON.stringify(theirsNow)
        ? []
        : [
            `usbcdb ${JSON.stringify(mine)}, hdparm ${JSON.stringify(theirsNow)}, words ${words.map((w) => w.toString(16)).join(' ')}`,
          ];
    });
    expect(differences).toEqual([]);
  });

  it('covered every kind of answer each field can give', () => {
    const seen = (key: string): string[] =>
      [...new Set(pages.map((w) => comparable(ours(w), w)[key] ?? ''))].sort();
    expect(seen('smart')).toEqual(['enabled', 'no', 'supported']);
    expect(seen('checksum')).toEqual(['(none)', 'correct', 'incorrect', 'not compared']);
    expect(seen('logicalSector')).toEqual(['4096', '512', '520']);
    expect(seen('sectors48')).toContain('(none)');
    expect(seen('sectors48').length).toBeGreaterThan(10);
  });
});
