/** Text from devices and files shown on one line: C0/C1 controls, DEL and the bidi overrides are unprintable. */
import { describe, expect, it } from 'vitest';
import { firstUnprintable, printableText } from '../../../shared/scsi/printable';

describe('printableText', () => {
  it('shows each control, DEL, C1 control and bidirectional override as "."', () => {
    expect(printableText('a\u0000b\u001bc\u007fd\u0085e\u2028f\u202eg\u2066h\u2069i')).toBe(
      'a.b.c.d.e.f.g.h.i',
    );
  });

  it('leaves printable text alone, accents and CJK included, and the empty string empty', () => {
    expect(printableText('Größe 容量 ~!')).toBe('Größe 容量 ~!');
    expect(printableText('')).toBe('');
  });
});

describe('firstUnprintable', () => {
  it('names the first unprintable character by code point and 1-based position', () => {
    expect(firstUnprintable('ab\u001b[2J')).toBe('U+001B at character 3');
    expect(firstUnprintable('\u202e')).toBe('U+202E at character 1');
    expect(firstUnprintable('x\u0085\u0000')).toBe('U+0085 at character 2');
  });

  it('finds none in printable text: U+202F and U+206A just past its ranges, U+2065 between them', () => {
    expect(firstUnprintable('INQUIRY 12h')).toBeUndefined();
    expect(firstUnprintable('\u202f\u2065\u206a')).toBeUndefined();
    // The paragraph separator ends a line as U+2028 does.
    expect(firstUnprintable('a\u2029')).toBe('U+2029 at character 2');
  });
});
