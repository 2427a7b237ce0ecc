/** Field values in the editor: hex as T10 writes it with decimal beside, and typed in either. */
import { describe, expect, it } from 'vitest';
import { fieldValueText, parseFieldValue } from '../../../src-renderer/field-value';

describe('fieldValueText', () => {
  it('shows OPERATION CODE 12h with its decimal, and small values once', () => {
    expect(fieldValueText(0x12n)).toBe('12h (18)');
    expect(fieldValueText(0x1234n)).toBe('1234h (4660)');
    expect(fieldValueText(7n)).toBe('7');
  });
});

describe('parseFieldValue', () => {
  it.each([
    ['18', 18n],
    ['12h', 0x12n],
    ['0x12', 0x12n],
    ['FFh', 0xffn],
    ['', 0n],
  ])('reads %j as %s', (text, value) => expect(parseFieldValue(text)).toBe(value));

  it('refuses what is not a whole number', () => {
    expect(parseFieldValue('1.5')).toBeUndefined();
    expect(parseFieldValue('-3')).toBeUndefined();
    expect(parseFieldValue('zz')).toBeUndefined();
  });
});
