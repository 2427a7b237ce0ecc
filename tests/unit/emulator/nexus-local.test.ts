/**
 * State a command keeps between CDBs, per I_T nexus (src-main/emulator/nexus.ts, `NexusKey`):
 * each initiator has its own, made on first use, and a reset forgets every one.
 */
import { describe, expect, it } from 'vitest';
import { NexusKey, Nexuses } from '../../../src-main/emulator/nexus';

const COUNTER = new NexusKey('test counter', () => ({ n: 0 }));

describe('Nexuses.local', () => {
  it('gives each initiator its own state, made by the key on first use', () => {
    const nexuses = new Nexuses();
    nexuses.select('a');
    nexuses.local(COUNTER).n = 5;
    nexuses.select('b');
    expect(nexuses.local(COUNTER).n).toBe(0);
    nexuses.local(COUNTER).n = 7;
    nexuses.select('a');
    expect(nexuses.local(COUNTER).n).toBe(5);
  });

  it('keeps two keys apart on one nexus', () => {
    const other = new NexusKey('other', () => ({ n: 1 }));
    const nexuses = new Nexuses();
    nexuses.local(COUNTER).n = 3;
    expect(nexuses.local(other).n).toBe(1);
  });

  it('forgets every nexus’s state on a reset', () => {
    const nexuses = new Nexuses();
    nexuses.select('a');
    nexuses.local(COUNTER).n = 9;
    nexuses.reset();
    expect(nexuses.local(COUNTER).n).toBe(0);
  });
});
