/**
 * THE command catalog: one row per operation code (and service action) a
 * USB-storage user meets, sorted by opcode then service action. The rows live
 * by standard in rows/; this is the one list everything reads. Bits no field
 * covers are reserved. C0h–FFh are vendor specific and have no rows
 * (index.ts `opcodeGroup` knows them).
 *
 * Adding a command is adding a row (plus, for the emulator, a handler).
 */
import { OTHER_COMMANDS } from './rows/other';
import { SBC_COMMANDS } from './rows/sbc';
import { SPC_COMMANDS } from './rows/spc';
import type { CommandSpec } from './types';

export const COMMANDS: readonly CommandSpec[] = Object.freeze(
  [...SPC_COMMANDS, ...SBC_COMMANDS, ...OTHER_COMMANDS].sort(
    (a, b) => a.opcode - b.opcode || (a.serviceAction ?? -1) - (b.serviceAction ?? -1),
  ),
);
