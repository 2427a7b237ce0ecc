import { describe, expect, it } from 'vitest';
import { bridgeProtocols } from '../../../shared/ipc/web-protocol';
import { webAccess } from '../../../src-main/ipc/web-access';
import { isLoopback, urlHost } from '../../../src-main/net/address';

const TOKEN = 'A'.repeat(43);

describe('webAccess: who may open the bridge', () => {
  const loopback = webAccess('127.0.0.1', 4000, TOKEN);
  const ok = {
    host: '127.0.0.1:4000',
    origin: 'http://127.0.0.1:4000',
    protocols: bridgeProtocols(TOKEN).join(', '),
  };

  it('admits the page it served, by any loopback name', () => {
    expect(loopback.admit(ok).ok).toBe(true);
    expect(
      loopback.admit({ ...ok, host: 'localhost:4000', origin: 'http://localhost:4000' }).ok,
    ).toBe(true);
    expect(loopback.admit({ ...ok, host: '[::1]:4000', origin: 'http://[::1]:4000' }).ok).toBe(
      true,
    );
    expect(loopback.hostAllowed('LOCALHOST:4000')).toBe(true);
  });

  it.each([
    ['no Host', { ...ok, host: undefined }, 'host'],
    ['a rebound name', { ...ok, host: 'evil.example:4000' }, 'host'],
    ['another port', { ...ok, host: '127.0.0.1:4001' }, 'host'],
    ['no Origin', { ...ok, origin: undefined }, 'origin'],
    ['a foreign Origin', { ...ok, origin: 'http://evil.example' }, 'origin'],
    ['an https Origin', { ...ok, origin: 'https://127.0.0.1:4000' }, 'origin'],
    ['an Origin with a path', { ...ok, origin: 'http://127.0.0.1:4000/x' }, 'origin'],
    ['a null Origin (sandboxed frame, file:)', { ...ok, origin: 'null' }, 'origin'],
    ['no token', { ...ok, protocols: 'usbcdb' }, 'token'],
    ['a wrong token', { ...ok, protocols: bridgeProtocols('B'.repeat(43)).join(',') }, 'token'],
    ['a token prefix', { ...ok, protocols: `usbcdb-token.${TOKEN.slice(0, 10)}` }, 'token'],
    ['no subprotocols', { ...ok, protocols: undefined }, 'token'],
  ])('refuses %s', (_what, headers, code) => {
    const r = loopback.admit(headers);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe(code);
  });

  it("quotes a refused Host or Origin with its control codes as '.', for the operator's log", () => {
    const host = loopback.admit({ ...ok, host: 'a\u009b2J:4000' });
    expect(!host.ok && host.error.message).toMatch(
      /^Host "a\.2J:4000" is not this bridge's address/,
    );
    const origin = loopback.admit({ ...ok, origin: 'http://x\u009b\u202e:4000' });
    expect(!origin.ok && origin.error.message).toMatch(/^Origin "http:\/\/x\.\.:4000" is not/);
  });

  it('on a specific address takes that address only; on a wildcard, IP literals but no names', () => {
    const lan = webAccess('192.0.2.7', 80, TOKEN);
    expect(lan.hostAllowed('192.0.2.7:80')).toBe(true);
    expect(lan.hostAllowed('localhost:80')).toBe(false);
    const any = webAccess('0.0.0.0', 80, TOKEN);
    expect(any.hostAllowed('192.0.2.9:80')).toBe(true);
    expect(any.hostAllowed('[2001:db8::1]:80')).toBe(true);
    expect(any.hostAllowed('lab.example:80')).toBe(false);
    expect(any.hostAllowed('192.0.2.9:81')).toBe(false);
    const v6 = webAccess('::1', 80, TOKEN);
    expect(v6.hostAllowed('[::1]:80')).toBe(true);
    expect(v6.hostAllowed('127.0.0.1:80')).toBe(true);
  });

  it("refuses an Origin that is not the page's own address, even one the bridge answers to", () => {
    // On a wildcard address every IP literal names the bridge, so a page served by another
    // machine on the same port passed as "the bridge's own"; the Origin must be the Host's.
    const any = webAccess('0.0.0.0', 4000, TOKEN);
    const lan = { ...ok, host: '192.0.2.7:4000', origin: 'http://192.0.2.7:4000' };
    expect(any.admit(lan).ok).toBe(true);
    const foreign = any.admit({ ...lan, origin: 'http://198.51.100.9:4000' });
    expect(!foreign.ok && foreign.error.code).toBe('origin');
    // Loopback too: http://localhost:4000 is another origin than http://127.0.0.1:4000.
    const other = loopback.admit({ ...ok, origin: 'http://localhost:4000' });
    expect(!other.ok && other.error.code).toBe('origin');
    expect(loopback.admit({ ...ok, origin: 'HTTP://127.0.0.1:4000' }).ok).toBe(true);
  });

  it('makes a new 256-bit token when none is given', () => {
    const a = webAccess('127.0.0.1', 1).token;
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(webAccess('127.0.0.1', 1).token).not.toBe(a);
  });
});

describe('addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['192.0.2.1', false],
    ['::', false],
  ])('isLoopback(%s) is %s', (host, yes) => expect(isLoopback(host)).toBe(yes));

  it('brackets IPv6 for URLs', () => {
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
  });
});
