import { describe, expect, it } from 'vitest';
import { runUsbcdb as run } from '../../cli-run';
import { parseEndpoint } from '../../../src-main/cli/commands/emulate';

describe('usbcdb emulate', () => {
  it('reads HOST:PORT, :PORT, PORT and [v6]:PORT, loopback by default', () => {
    expect(parseEndpoint('127.0.0.1:37001', 'usbredir')).toEqual({
      ok: true,
      value: { host: '127.0.0.1', port: 37001 },
    });
    expect(parseEndpoint(':3240', 'usbip')).toEqual({
      ok: true,
      value: { host: '127.0.0.1', port: 3240 },
    });
    expect(parseEndpoint('3240', 'usbip')).toEqual({
      ok: true,
      value: { host: '127.0.0.1', port: 3240 },
    });
    expect(parseEndpoint('[::1]:4000', 'usbip')).toEqual({
      ok: true,
      value: { host: '::1', port: 4000 },
    });
    const bad = parseEndpoint('somewhere', 'usbredir');
    expect(!bad.ok && bad.error.message).toBe(
      '--usbredir takes HOST:PORT (e.g. 127.0.0.1:37001), not "somewhere"',
    );
    expect(parseEndpoint('127.0.0.1:70000', 'usbip').ok).toBe(false);
  });

  it('says what is missing or wrong, and exports nothing', async () => {
    expect(await run(['emulate'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/one of --usbredir HOST:PORT or --usbip HOST:PORT/),
    });
    // Both exporters exclude each other: 31, sg3_utils' SG_LIB_CONTRADICT, as raw's --in with --out.
    expect(await run(['emulate', '--usbredir', ':1', '--usbip', ':2'])).toEqual({
      code: 31,
      out: '',
      err: 'emulate: give --usbredir or --usbip, not both: one host at a time uses a drive\n',
    });
    expect((await run(['emulate', '--profile', 'nope', '--usbip', ':0'])).err).toMatch(
      /no profile "nope"; the profiles are flash-stick/,
    );
    expect((await run(['emulate', '--usbip', 'x:y'])).err).toMatch(/--usbip takes HOST:PORT/);
  });
});
