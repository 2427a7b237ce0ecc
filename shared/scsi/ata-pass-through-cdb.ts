/**
 * Builds the SAT ATA PASS-THROUGH(16)/(12) CDB that carries one command of
 * the ATA sub-catalog (the `sat` set's `ataCommands`, read through
 * ata-commands.ts), so the probe, the tests and anyone else tunnelling an ATA
 * command derive PROTOCOL, T_DIR, BYT_BLOK, T_LENGTH, COUNT, CK_COND,
 * FEATURES and COMMAND from the row instead of typing them again.
 *
 * The transfer-control bits follow SAT-4 (ATA PASS-THROUGH): data moves
 * with T_LENGTH 2 (length in COUNT), BYT_BLOK 1 (512-byte blocks) and T_DIR
 * by direction. For a non-data command T_LENGTH is 0 and SAT-4 gives T_DIR
 * and BYT_BLOK no meaning; they are set to 1 because that is what smartctl
 * sends (seen in its `-r ioctl` output against a SAT bridge), so a bridge
 * sees the bytes the most widely used tool sends.
 */
import { ataCommandNamed, PROTOCOLS_OF, type AtaCommandName } from './ata-commands';
import { findByName } from './catalog';
import type { CommandSpec } from './catalog/types';
import { buildCdb, type FieldValues } from './cdb/build';
import { err, ok, problem, type Result } from './result';

/** The catalog rows a SAT pass-through is built on: ATA PASS-THROUGH(16) and (12). */
export type PassThroughRow = 'ata16' | 'ata12';

/** A built pass-through CDB and the catalog row it was built from. */
export interface BuiltPassThrough {
  readonly spec: CommandSpec;
  readonly cdb: Uint8Array;
}

/**
 * The CDB carrying ATA command `name` through `row`; `registers` sets what
 * the row does not say (LBA, the SMART signature 4Fh/C2h in LBA mid/high,
 * COUNT for a command of `blocks: "count"`), and wins over the derived
 * fields. A 48-bit command through the 12-byte CDB is refused (it has no
 * EXTEND bit and no room for the high register bytes, SAT-4), as is a
 * register value that does not fit its field.
 */
export function passThroughCdb(
  row: PassThroughRow,
  name: AtaCommandName,
  registers: FieldValues = {},
): Result<BuiltPassThrough> {
  const spec = findByName(row);
  if (!spec) return err(problem('no-row', `the catalog has no ${row}`));
  const ata = ataCommandNamed(name);
  if (ata.ext === true && row === 'ata12')
    return err(
      problem(
        'needs-ext',
        `${name} is a 48-bit command: send it with ATA PASS-THROUGH(16) and EXTEND=1; the 12-byte CDB has no room for its high register bytes`,
      ),
    );
  const protocol = PROTOCOLS_OF[ata.protocol][0] ?? 0;
  const out = ata.protocol === 'pio-out' || ata.protocol === 'dma-out';
  const moves = ata.protocol !== 'non-data';
  const values: FieldValues = {
    protocol,
    tDir: out ? 0 : 1,
    bytBlok: 1,
    tLength: moves ? 2 : 0,
    ...(moves && typeof ata.blocks === 'number' ? { count: ata.blocks } : {}),
    ...(ata.answerInRegisters !== undefined ? { ckCond: 1 } : {}),
    ...(ata.ext === true ? { extend: 1 } : {}),
    ...(ata.features !== undefined ? { features: ata.features } : {}),
    command: ata.code,
    ...registers,
  };
  const built = buildCdb(spec, values);
  return built.ok ? ok({ spec, cdb: built.value }) : built;
}
