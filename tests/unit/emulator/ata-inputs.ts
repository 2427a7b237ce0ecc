import type { AtaInputs } from '../../../src-main/emulator/ata/registers';

/** ATA command inputs for the tests: all registers zero, 28-bit, except what `o` sets. */
export const ataInputs = (o: Partial<AtaInputs> = {}): AtaInputs => ({
  command: 0,
  features: 0,
  count: 0,
  lba: 0n,
  device: 0,
  extend: false,
  ...o,
});
