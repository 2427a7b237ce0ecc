import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../shared/scsi/catalog';
import type { Handler } from '../../../src-main/emulator/handlers/context';
import { HANDLERS, IMPLEMENTED } from '../../../src-main/emulator/handlers/index';

describe('the handler table', () => {
  it('is keyed by catalog names, so a misspelt name does not compile', () => {
    // @ts-expect-error 'INQURY' is not a catalog command name.
    const misspelt: Handler | undefined = HANDLERS.INQURY;
    expect(misspelt).toBeUndefined();
    // @ts-expect-error a handler table entry must name a catalog command.
    const table: typeof HANDLERS = { 'READ CAPACITY': HANDLERS['READ CAPACITY(10)'] };
    expect(Object.keys(table)).toEqual(['READ CAPACITY']);
  });

  it('names only catalog rows, and IMPLEMENTED lists exactly those rows in catalog order', () => {
    const names = new Set(COMMANDS.map((c) => c.name));
    for (const name of Object.keys(HANDLERS)) expect(names.has(name), name).toBe(true);
    expect(IMPLEMENTED.map((c) => c.name).sort()).toEqual(Object.keys(HANDLERS).sort());
    expect(IMPLEMENTED).toEqual(COMMANDS.filter((c) => c.name in HANDLERS));
  });
});
