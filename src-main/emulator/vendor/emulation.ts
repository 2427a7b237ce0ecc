/**
 * A drive's vendor commands, answered from their declarations
 * (shared/vendor-sets/model.ts, `Emulation`), in the model's order:
 *
 * 1. a CDB field outside its declared `min`/`max` → 05/24/00 INVALID FIELD
 *    IN CDB pointing at that field;
 * 2. the first `senseWhen` rule whose conditions all hold → CHECK CONDITION
 *    with its sense, the field pointer (if the rule names a field) computed
 *    from the field's declared byte and bit;
 * 3. `behaviour` → the stateful answer behaviours.ts implements;
 * 4. `data` (hex, or values encoded into the response layout) cut to the
 *    data-in length, else GOOD with no data.
 *
 * One instance per logical unit; it holds the behaviours' states, so the
 * logical unit holds none of any set.
 */
import {
  dataTransferOf,
  fieldValue,
  type CommandSpec,
  type FieldSpec,
} from '../../../shared/scsi/catalog';
import { readField } from '../../../shared/scsi/catalog/fields';
import { resolveCommand } from '../../../shared/scsi/catalog/resolve';
import { parseHex } from '../../../shared/scsi/hex';
import { ok, type Result } from '../../../shared/scsi/result';
import { encodeLayout } from '../../../shared/vendor-sets/layout';
import type {
  EmulationBehaviour,
  VendorCommandDef,
  VendorSet,
} from '../../../shared/vendor-sets/model';
import { fieldPointerOf } from '../field-pointer';
import { check, good, type HandlerResult } from '../responses';
import { BEHAVIOURS, type Behaviour, type DriveStates, type StateClass } from './behaviours';
import type { VendorCall, VendorDevice } from './device';

/** HARDWARE ERROR, INTERNAL TARGET FAILURE (SPC-5): the declaration cannot be answered. */
const INTERNAL_TARGET_FAILURE = check(0x04, 0x44, 0x00);

function behaviourNamed(name: string | undefined): Behaviour | undefined {
  return name !== undefined && Object.hasOwn(BEHAVIOURS, name)
    ? BEHAVIOURS[name as EmulationBehaviour]
    : undefined;
}

/** The declared data-in of a command, before the cut to the data-in length. */
function declaredData(command: VendorCommandDef): Result<Uint8Array | undefined> {
  const data = command.emulation?.data;
  if (data === undefined) return ok(undefined);
  if ('hex' in data) return parseHex(data.hex, `${command.spec.name} emulated data`);
  return encodeLayout(command.response ?? [], data.values, data.length);
}

/** The first declared field holding a value outside its `min`/`max`. */
function outOfBounds(spec: CommandSpec, cdb: Uint8Array): FieldSpec | undefined {
  return spec.fields.find((f) => {
    if (f.min === undefined && f.max === undefined) return false;
    const v = readField(cdb, f);
    return (f.min !== undefined && v < BigInt(f.min)) || (f.max !== undefined && v > BigInt(f.max));
  });
}

export class VendorEmulation implements DriveStates {
  private readonly states = new Map<StateClass, object>();
  private readonly data = new Map<VendorCommandDef, Result<Uint8Array | undefined>>();

  /**
   * @param sets the sets the drive speaks, the first declaring an opcode winning
   * @param device the drive, as behaviours may touch it
   * @param blockSize the drive's block size, for data-in lengths counted in blocks
   */
  constructor(
    readonly sets: readonly VendorSet[],
    private readonly device: VendorDevice,
    private readonly blockSize: number,
  ) {
    // States exist from power-on, so an event log has every event since.
    for (const set of sets)
      for (const command of set.commands) {
        const keeps = behaviourNamed(command.emulation?.behaviour)?.keeps;
        if (keeps) this.get(keeps);
      }
  }

  get<S extends object>(cls: StateClass<S>): S {
    let s = this.states.get(cls) as S | undefined;
    if (!s) {
      s = new cls(this.device);
      this.states.set(cls, s);
    }
    return s;
  }

  /**
   * The vendor command a CDB selects, if the drive's sets declare one: an
   * opcode C0h–FFh, or a standard opcode a set reuses whose selector the CDB
   * holds (shared/scsi/catalog/resolve.ts).
   */
  find(cdb: Uint8Array): VendorCommandDef | undefined {
    const r = resolveCommand(cdb, this.sets);
    return r?.source === 'vendor' ? r.command : undefined;
  }

  /** Answers a command `find` returned; the caller has checked the CDB is long enough. */
  answer(command: VendorCommandDef, cdb: Uint8Array, dataOut: Uint8Array): HandlerResult {
    const spec = command.spec;
    const bad = outOfBounds(spec, cdb);
    if (bad) return check(0x05, 0x24, 0x00, { senseKeySpecific: fieldPointerOf(bad) });
    const emulation = command.emulation;
    const rule = emulation?.senseWhen?.find((r) =>
      r.when.every((c) => fieldValue(cdb, spec, c.field) === c.equals),
    );
    if (rule) {
      const { key, asc, ascq, field } = rule.sense;
      const f = field === undefined ? undefined : spec.fields.find((x) => x.key === field);
      return check(key, asc, ascq, f ? { senseKeySpecific: fieldPointerOf(f) } : {});
    }
    const transfer = dataTransferOf(cdb, spec, this.blockSize);
    const dataInLength = transfer.direction === 'in' ? (transfer.bytes ?? 0) : 0;
    if (emulation?.behaviour !== undefined) {
      const behaviour = behaviourNamed(emulation.behaviour);
      if (!behaviour) return INTERNAL_TARGET_FAILURE;
      const call: VendorCall = {
        spec,
        field: (key) => fieldValue(cdb, spec, key) ?? 0,
        dataOut,
        dataInLength,
      };
      return behaviour.answer(call, this.device, this);
    }
    let data = this.data.get(command);
    if (!data) {
      data = declaredData(command);
      this.data.set(command, data);
    }
    if (!data.ok) return INTERNAL_TARGET_FAILURE;
    return good(data.value ? data.value.subarray(0, dataInLength) : new Uint8Array());
  }
}
