/** MAINTENANCE IN: REPORT SUPPORTED OPERATION CODES (SPC-5) over the implemented catalog rows. */
import type { CommandSpec } from '../../../shared/scsi/catalog';
import { putBe16, putBe32 } from '../../../shared/scsi/bytes';
import { withAllocation, type Handler } from './context';
import type { DiskLu } from '../disk';
import { examinedBits } from '../examined-bits';
import { writeField } from '../../../shared/scsi/catalog/fields';

/**
 * A command timeouts descriptor (SPC-5): length 0Ah, then the nominal and
 * recommended timeouts in seconds; 0 says "not specified", which is the truth
 * for a drive that answers at once.
 */
const TIMEOUTS_DESCRIPTOR = [0x00, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/** @param implemented the catalog rows the drive has handlers for */
export function supportedOperationCodes(
  implemented: (lu: DiskLu) => readonly CommandSpec[],
): Handler<'REPORT SUPPORTED OPERATION CODES'> {
  return (lu, ctx) => {
    const options = ctx.get('reportingOptions');
    const rctd = ctx.get('rctd') === 1;
    const rows = implemented(lu);
    if (options === 0) {
      const body = rows.flatMap((c) => {
        const d = new Uint8Array(8);
        d[0] = c.opcode;
        if (c.serviceAction !== undefined) {
          putBe16(d, 2, c.serviceAction);
          d[5] = 0x01; // SERVACTV
        }
        if (rctd) d[5] = (d[5] ?? 0) | 0x02; // CTDP: a timeouts descriptor follows
        putBe16(d, 6, c.cdbLength);
        return [...d, ...(rctd ? TIMEOUTS_DESCRIPTOR : [])];
      });
      const out = new Uint8Array(4 + body.length);
      putBe32(out, 0, body.length);
      out.set(body, 4);
      return Promise.resolve(withAllocation(out, ctx.get('allocationLength')));
    }
    if (options > 3) return Promise.resolve(ctx.invalid('reportingOptions'));
    const op = ctx.get('requestedOpcode');
    const sa = ctx.get('requestedServiceAction');
    // SPC-5: option 001b names an opcode without service actions, 010b one with them;
    // the other kind is an invalid field.
    const hasServiceActions = rows.some((c) => c.opcode === op && c.serviceAction !== undefined);
    if ((options === 1 && hasServiceActions) || (options === 2 && !hasServiceActions))
      return Promise.resolve(ctx.invalid('reportingOptions'));
    // 011b names the command by both; one without service actions has SERVICE ACTION 0, as its
    // all_commands descriptor says (Linux's target and scsi_debug read SPC-4 011b alike).
    const spec = rows.find(
      (c) => c.opcode === op && (options === 1 || (c.serviceAction ?? 0) === sa),
    );
    if (!spec)
      return Promise.resolve(
        withAllocation(Uint8Array.from([0, 0x01, 0, 0]), ctx.get('allocationLength')),
      );
    // CDB USAGE DATA: a 1 for every bit the device examines, read in the layout it reads CDBs
    // with (examined-bits.ts); the SERVICE ACTION field holds the command's service action code
    // instead, as the opcode byte holds the opcode (SPC-5, one_command parameter data).
    const { fields } = lu.layoutFor(spec);
    const refusesReserved = lu.profile.quirks.spc2Strict;
    const usage = Uint8Array.from({ length: spec.cdbLength }, (_, i) =>
      i === 0 ? spec.opcode : examinedBits(fields, i, refusesReserved),
    );
    const saField = fields.find((f) => f.key === 'serviceAction');
    if (saField && spec.serviceAction !== undefined)
      writeField(usage, saField, BigInt(spec.serviceAction));
    const out = Uint8Array.from([
      0,
      (rctd ? 0x80 : 0) | 0x03, // CTDP, SUPPORT 011b: supported as the standard says
      0,
      spec.cdbLength,
      ...usage,
      ...(rctd ? TIMEOUTS_DESCRIPTOR : []),
    ]);
    return Promise.resolve(withAllocation(out, ctx.get('allocationLength')));
  };
}
