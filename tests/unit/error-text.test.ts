import { describe, expect, it } from 'vitest';
import { errorText } from '../../shared/error-text';

describe('errorText', () => {
  it('gives an Error its message and anything else its text', () => {
    expect(errorText(new RangeError('byte 3 is past the end'))).toBe('byte 3 is past the end');
    expect(errorText('LIBUSB_ERROR_ACCESS')).toBe('LIBUSB_ERROR_ACCESS');
    expect(errorText(42)).toBe('42');
  });
});
