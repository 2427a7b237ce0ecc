/**
 * The catalog's CDB layouts against Wireshark's SCSI dissector (Debian's tshark): every command
 * of the catalog is sent to the emulated drive six times, each field holding a value drawn from a
 * fixed seed over its whole width, with a capture running; tshark then reads each CBW, and every
 * field usbcdb names that Wireshark names too must hold the same value in both. Wireshark's
 * layouts were written from the standards apart from usbcdb's, so a field at the wrong byte or
 * bit, or of the wrong width, in either shows here. The CDBs are not built with usbcdb's builder
 * (which refuses what lint calls invalid): random bytes in every field are what a Wireshark user
 * looks at, and what the catalog must still read right.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../shared/scsi/catalog';
import { readField, writeField } from '../../shared/scsi/catalog/fields';
import type { CommandSpec } from '../../shared/scsi/catalog/types';
import { openDevice } from '../../src-main/engine/device-string';
import { runTshark, tsharkFields } from './peers';
import { seeded } from './seeded';
import { testTempDir } from '../temp-dir';

const CASES_PER_COMMAND = 6;

/** Wireshark's name for one of usbcdb's fields, and how its value compares. */
interface Named {
  readonly field: string;
  /** usbcdb's value as Wireshark reads it, where Wireshark follows an older layout (the why says which). */
  readonly ours?: (value: bigint) => bigint;
  readonly why?: string;
}
type Names = Readonly<Record<string, string | Named>>;

// The control byte (SAM-5 5.2; SPC-5 4.2.5.1): Wireshark calls FLAG and LINK, obsolete since
// SAM-4, by their bit numbers.
const controlNames = (prefix: string): Names => ({
  controlVendor: `${prefix}.vendorspecific`,
  naca: `${prefix}.naca`,
  flag: `${prefix}.obs1`,
  link: `${prefix}.obs2`,
});
const CONTROL = controlNames('scsi.cdb.control');

/**
 * A field Wireshark reads narrower than the standard now makes it: only its low `bits` compare.
 * Each use says which standard widened it; tshark -G fields shows Wireshark's mask.
 */
function lowBits(field: string, bits: number, why: string): Named {
  const mask = (1n << BigInt(bits)) - 1n;
  return { field, ours: (v) => v & mask, why };
}

// SBC-2 had a one-bit BYTCHK (byte 1 bit 1); SBC-3 widened it to bits 2:1.
const BYTCHK = lowBits('scsi_sbc.bytchk', 1, 'Wireshark reads SBC-2’s one-bit BYTCHK');
// GROUP NUMBER is bits 5:0 in SBC-4 (sg_sync(8): "between 0 and 63"); SBC-3's was bits 4:0.
const GROUP = lowBits('scsi_sbc.group', 5, 'Wireshark reads SBC-3’s five-bit GROUP NUMBER');

// READ(6)'s and WRITE(6)'s LOGICAL BLOCK ADDRESS is 21 bits, byte 1 bits 4:0 to byte 3 (SBC-4
// 5.15, 5.44); Wireshark 4.0 masks it with FFFFFh, leaving byte 1 bit 4 out.
const LBA6 = lowBits('scsi_sbc.rdwr6.lba', 20, 'Wireshark masks the 21-bit LBA to 20 bits');

const RW10: Names = {
  ...CONTROL,
  dpo: 'scsi_sbc.dpo',
  fua: 'scsi_sbc.fua',
  fuaNv: 'scsi_sbc.fua_nv',
  lba: 'scsi_sbc.rdwr10.lba',
  groupNumber: GROUP,
};
const RW16: Names = {
  ...CONTROL,
  dpo: 'scsi_sbc.dpo',
  fua: 'scsi_sbc.fua',
  lba: 'scsi_sbc.rdwr16.lba',
  groupNumber: GROUP,
};

const VERIFY: Names = {
  ...CONTROL,
  vrprotect: 'scsi_sbc.vrprotect',
  dpo: 'scsi_sbc.dpo',
  bytChk: BYTCHK,
  groupNumber: GROUP,
};
const WRITE_AND_VERIFY: Names = {
  ...CONTROL,
  wrprotect: 'scsi_sbc.wrprotect',
  dpo: 'scsi_sbc.dpo',
  bytChk: BYTCHK,
  groupNumber: GROUP,
};
const WRITE_SAME: Names = {
  ...CONTROL,
  groupNumber: GROUP,
  wrprotect: 'scsi_sbc.wrprotect',
  anchor: 'scsi_sbc.anchor',
  unmap: 'scsi_sbc.unmap',
  pbdata: 'scsi_sbc.pbdata',
  lbdata: 'scsi_sbc.lbdata',
};
const ZBC = { undissected: 'a ZBC command; Wireshark 4.0 has no ZBC dissector' };

/**
 * Per command, the names Wireshark 4.0 gives its fields; a command Wireshark shows only as bytes
 * has a reason instead, and the test checks that it still does.
 */
const WIRESHARK: Readonly<Record<string, Names | { readonly undissected: string }>> = {
  'TEST UNIT READY': CONTROL,
  'REQUEST SENSE': { ...CONTROL, allocationLength: 'scsi.cdb.alloclen' },
  'FORMAT UNIT': {
    ...CONTROL,
    // SBC-2's FMTPINFO (bit 7) and RTO_REQ (bit 6) are SBC-3's two-bit FMTPINFO.
    fmtpInfo: {
      field: 'scsi_sbc.format_unit.fmtpinfo',
      ours: (v) => v >> 1n,
      why: 'Wireshark reads SBC-2’s FMTPINFO bit, the high bit of SBC-3’s field',
    },
    longList: 'scsi_sbc.format_unit.longlist',
    fmtData: 'scsi_sbc.format_unit.fmtdata',
    cmpLst: 'scsi_sbc.format_unit.cmplist',
    defectListFormat: 'scsi_sbc.defect_list_format',
    vendorSpecific: 'scsi_sbc.formatunit.vendor',
  },
  'READ(6)': { ...CONTROL, lba: LBA6, transferLength: 'scsi_sbc.rdwr6.xferlen' },
  'WRITE(6)': { ...CONTROL, lba: LBA6, transferLength: 'scsi_sbc.rdwr6.xferlen' },
  INQUIRY: {
    ...controlNames('scsi.inquiry.control'),
    allocationLength: 'scsi.cdb.alloclen16',
  },
  'MODE SELECT(6)': { ...CONTROL, parameterListLength: 'scsi.cdb.paramlen' },
  'MODE SENSE(6)': {
    ...CONTROL,
    pc: 'scsi.mode.pc',
    pageCode: 'scsi.mode.sbc.pagecode',
    allocationLength: 'scsi.cdb.alloclen',
  },
  'START STOP UNIT': {
    ...CONTROL,
    immed: 'scsi_sbc.ssu.immediate',
    powerCondition: 'scsi_sbc.ssu.pwr',
    loej: 'scsi_sbc.ssu.loej',
    start: 'scsi_sbc.ssu.start',
  },
  'RECEIVE DIAGNOSTIC RESULTS': { undissected: 'Wireshark 4.0 has no dissector for it' },
  'SEND DIAGNOSTIC': {
    ...CONTROL,
    selfTestCode: 'scsi.spc.senddiag.code',
    pf: 'scsi.spc.senddiag.pf',
    selfTest: 'scsi.spc.senddiag.st',
    devOffl: 'scsi.spc.senddiag.devoff',
    unitOffl: 'scsi.spc.senddiag.unitoff',
    parameterListLength: 'scsi.cdb.paramlen16',
  },
  'PREVENT ALLOW MEDIUM REMOVAL': {
    ...CONTROL,
    // PREVENT is bits 1:0 since SPC-3 (SBC-4 5.13); SPC-2's was bit 0 alone.
    prevent: lowBits('scsi.prevent_allow.prevent', 1, 'Wireshark reads SPC-2’s one-bit PREVENT'),
  },
  'READ FORMAT CAPACITIES': { undissected: 'an MMC command; Wireshark decodes it for MMC devices' },
  'READ CAPACITY(10)': CONTROL,
  'READ(10)': {
    ...RW10,
    rdprotect: 'scsi_sbc.rdprotect',
    transferLength: 'scsi_sbc.rdwr10.xferlen',
  },
  'WRITE(10)': {
    ...RW10,
    wrprotect: 'scsi_sbc.wrprotect',
    transferLength: 'scsi_sbc.rdwr10.xferlen',
  },
  'WRITE AND VERIFY(10)': {
    ...WRITE_AND_VERIFY,
    lba: 'scsi_sbc.wrverify.lba',
    transferLength: 'scsi_sbc.wrverify.xferlen',
  },
  'VERIFY(10)': {
    ...VERIFY,
    lba: 'scsi_sbc.verify.lba',
    verificationLength: 'scsi_sbc.verify.vlen',
  },
  'SYNCHRONIZE CACHE(10)': {
    ...CONTROL,
    syncNv: 'scsi_sbc.synccache.sync_nv',
    immed: 'scsi_sbc.synccache.immediate',
    lba: 'scsi_sbc.rdwr10.lba',
    groupNumber: GROUP,
    numberOfBlocks: 'scsi_sbc.rdwr10.xferlen',
  },
  'FORMAT WITH PRESET': { undissected: 'Wireshark 4.0 has no dissector for it (SBC-4, 2015)' },
  'WRITE BUFFER': {
    ...CONTROL,
    // MODE is bits 4:0 (SPC-5 6.49; modes 1Ch to 1Fh exist), Wireshark's mask is 0Fh.
    mode: lowBits('scsi.spc.wb.mode', 4, 'Wireshark masks MODE to bits 3:0'),
    bufferId: 'scsi.spc.sb.bufid',
    bufferOffset: 'scsi.spc.wb.bufoff',
    parameterListLength: 'scsi.cdb.paramlen24',
  },
  'READ BUFFER(10)': { undissected: 'Wireshark 4.0 dissects READ BUFFER only for SSC devices' },
  'WRITE LONG(10)': {
    ...CONTROL,
    lba: 'scsi_sbc.rdwr10.lba',
    byteTransferLength: 'scsi_sbc.alloclen16',
  },
  'WRITE SAME(10)': {
    ...WRITE_SAME,
    lba: 'scsi_sbc.rdwr10.lba',
    numberOfBlocks: 'scsi_sbc.alloclen16',
  },
  UNMAP: {
    ...CONTROL,
    anchor: 'scsi_sbc.unmap.anchor',
    groupNumber: GROUP,
    parameterListLength: 'scsi_sbc.alloclen16',
  },
  SANITIZE: {
    ...CONTROL,
    immed: 'scsi_sbc.sanitize.immed',
    ause: 'scsi_sbc.sanitize.ause',
    serviceAction: 'scsi_sbc.sanitize.sa',
    parameterListLength: 'scsi_sbc.alloclen16',
  },
  'LOG SELECT': {
    ...CONTROL,
    pcr: 'scsi.log.pcr',
    sp: 'scsi.log.sp',
    pc: 'scsi.log.pc',
    parameterListLength: 'scsi.cdb.paramlen16',
  },
  'LOG SENSE': {
    ...CONTROL,
    ppc: 'scsi.log.ppc',
    sp: 'scsi.log.sp',
    pc: 'scsi.log.pc',
    pageCode: 'scsi.log.pagecode',
    // PARAMETER POINTER is bytes 5 and 6 (SPC-5 6.8); Wireshark reads byte 6 as a one-byte field.
    parameterPointer: lowBits('scsi.log.param_ptr', 8, 'Wireshark reads one byte of the two'),
    allocationLength: 'scsi.cdb.alloclen16',
  },
  'MODE SELECT(10)': { ...CONTROL, parameterListLength: 'scsi.cdb.paramlen16' },
  'MODE SENSE(10)': {
    ...CONTROL,
    pc: 'scsi.mode.pc',
    pageCode: 'scsi.mode.sbc.pagecode',
    allocationLength: 'scsi.cdb.alloclen16',
  },
  'ATA PASS-THROUGH(16)': { undissected: 'Wireshark 4.0 has no SAT dissector for USB storage' },
  'READ(16)': {
    ...RW16,
    rdprotect: 'scsi_sbc.rdprotect',
    transferLength: 'scsi_sbc.rdwr12.xferlen',
  },
  'COMPARE AND WRITE': {
    ...RW16,
    fuaNv: 'scsi_sbc.fua_nv',
    wrprotect: 'scsi_sbc.wrprotect',
    numberOfBlocks: 'scsi_sbc.rdwr12.xferlen',
  },
  'WRITE(16)': {
    ...RW16,
    wrprotect: 'scsi_sbc.wrprotect',
    transferLength: 'scsi_sbc.rdwr12.xferlen',
  },
  'WRITE AND VERIFY(16)': {
    ...WRITE_AND_VERIFY,
    lba: 'scsi_sbc.wrverify.lba64',
    transferLength: 'scsi_sbc.wrverify.xferlen32',
  },
  'VERIFY(16)': {
    ...VERIFY,
    lba: 'scsi_sbc.verify.lba64',
    verificationLength: 'scsi_sbc.verify.vlen32',
  },
  'SYNCHRONIZE CACHE(16)': {
    ...CONTROL,
    syncNv: 'scsi_sbc.synccache.sync_nv',
    immed: 'scsi_sbc.synccache.immediate',
    lba: 'scsi_sbc.rdwr16.lba',
    groupNumber: GROUP,
    numberOfBlocks: 'scsi_sbc.rdwr12.xferlen',
  },
  'WRITE SAME(16)': {
    ...WRITE_SAME,
    lba: 'scsi_sbc.rdwr16.lba',
    numberOfBlocks: 'scsi_sbc.rdwr12.xferlen',
  },
  'CLOSE ZONE': ZBC,
  'FINISH ZONE': ZBC,
  'OPEN ZONE': ZBC,
  'RESET WRITE POINTER': ZBC,
  'SEQUENTIALIZE ZONE': ZBC,
  'READ CAPACITY(16)': {
    ...CONTROL,
    serviceAction: 'scsi_sbc.sa',
    allocationLength: 'scsi_sbc.alloclen32',
  },
  'GET LBA STATUS(16)': {
    ...CONTROL,
    serviceAction: 'scsi_sbc.sa',
    lba: 'scsi_sbc.get_lba_status.start_lba',
    allocationLength: 'scsi_sbc.alloclen32',
  },
  'REMOVE ELEMENT AND TRUNCATE': { serviceAction: 'scsi_sbc.sa' },
  'RESTORE ELEMENTS AND REBUILD': { serviceAction: 'scsi_sbc.sa' },
  'REMOVE ELEMENT AND MODIFY ZONES': { serviceAction: 'scsi_sbc.sa' },
  'WRITE LONG(16)': {
    ...CONTROL,
    serviceAction: 'scsi_sbc.sa',
    lba: 'scsi_sbc.lba64_add',
    byteTransferLength: 'scsi_sbc.alloclen16',
  },
  'REPORT LUNS': {
    ...CONTROL,
    selectReport: 'scsi.spc.select_report',
    allocationLength: 'scsi.cdb.alloclen32',
  },
  'ATA PASS-THROUGH(12)': { undissected: 'Wireshark 4.0 has no SAT dissector for USB storage' },
  'SECURITY PROTOCOL IN': { undissected: 'Wireshark 4.0 has no dissector for it' },
  'REPORT SUPPORTED OPERATION CODES': {
    ...CONTROL,
    serviceAction: 'scsi.mpi.service_action',
    rctd: 'scsi.report_opcodes.rctd',
    reportingOptions: 'scsi.report_opcodes.options',
    requestedOpcode: 'scsi.report_opcodes.requested_operation_code',
    requestedServiceAction: 'scsi.report_opcodes.requested_service_action',
    allocationLength: 'scsi.cdb.alloclen32',
  },
  'READ(12)': {
    ...RW10,
    rdprotect: 'scsi_sbc.rdprotect',
    transferLength: 'scsi_sbc.rdwr12.xferlen',
  },
  'WRITE(12)': {
    ...RW10,
    wrprotect: 'scsi_sbc.wrprotect',
    transferLength: 'scsi_sbc.rdwr12.xferlen',
  },
  'WRITE AND VERIFY(12)': {
    ...WRITE_AND_VERIFY,
    lba: 'scsi_sbc.wrverify.lba',
    transferLength: 'scsi_sbc.wrverify.xferlen32',
  },
  'VERIFY(12)': {
    ...VERIFY,
    lba: 'scsi_sbc.verify.lba',
    verificationLength: 'scsi_sbc.verify.vlen32',
  },
  'SECURITY PROTOCOL OUT': { undissected: 'Wireshark 4.0 has no dissector for it' },
};

/**
 * A CDB of `spec` with every field from the generator (all ones where `next` is undefined), the
 * opcode and service action its own.
 */
function seededCdb(spec: CommandSpec, next?: (below: number) => number): Uint8Array {
  const cdb = new Uint8Array(spec.cdbLength);
  for (const f of spec.fields) {
    if (f.key === 'opcode') writeField(cdb, f, BigInt(spec.opcode));
    else if (f.key === spec.serviceActionField && spec.serviceAction !== undefined)
      writeField(cdb, f, BigInt(spec.serviceAction));
    else {
      // Whole bytes first, so fields up to 64 bits get values over their whole width.
      let v = 0n;
      for (let bits = 0; bits < f.width; bits += 8) v = (v << 8n) | BigInt(next ? next(256) : 255);
      writeField(cdb, f, v & ((1n << BigInt(f.width)) - 1n));
    }
  }
  return cdb;
}

/** Each CBW's frame number and CDB, read with the mass-storage dissector off (the raw 31 bytes). */
function cbwFrames(file: string): { frame: number; cdb: string }[] {
  return tsharkFields(
    file,
    ['frame.number', 'usb.capdata'],
    "usb.urb_type == 'S' && usb.endpoint_address.direction == 0 && usb.capdata[0:4] == 55:53:42:43",
    ['--disable-protocol', 'usbms'],
  ).map(([frame = '', data = '']) => {
    const bytes = data.replaceAll(':', '');
    // CBW (BOT 1.0 §5.1): bCBWCBLength at byte 14, the CDB from byte 15.
    const length = Number.parseInt(bytes.slice(28, 30), 16);
    return { frame: Number(frame), cdb: bytes.slice(30, 30 + 2 * length) };
  });
}

/** Wireshark's value of a field as a bigint: decimal, 0x-hex, or colon-separated bytes. */
function wiresharkValue(show: string): bigint {
  if (/^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(show)) return BigInt(`0x${show.replaceAll(':', '')}`);
  if (show === 'True') return 1n;
  if (show === 'False') return 0n;
  return BigInt(show);
}

/** Per frame, the fields the SCSI dissectors show (their first occurrence) and whether the CDB was shown as bytes. */
function dissected(file: string): Map<number, { fields: Map<string, string>; raw: boolean }> {
  const pdml = runTshark(['-r', file, '-Y', 'usbms.dCBWSignature', '-T', 'pdml']);
  const out = new Map<number, { fields: Map<string, string>; raw: boolean }>();
  for (const packet of pdml.split('<packet>').slice(1)) {
    const frame = Number(/<field name="frame.number"[^>]* show="(\d+)"/.exec(packet)?.[1]);
    const fields = new Map<string, string>();
    for (const m of packet.matchAll(
      /<field name="((?:scsi|scsi_sbc)\.[^"]+)"[^>]* show="([^"]*)"/g,
    )) {
      const [, name = '', show = ''] = m;
      if (!fields.has(name)) fields.set(name, show);
    }
    out.set(frame, { fields, raw: /<field name="data.data"/.test(packet) });
  }
  return out;
}

describe('CDB layouts: usbcdb’s catalog and Wireshark’s SCSI dissector (tshark)', () => {
  it('give the same value to every field both name, over seeded CDBs of every catalogued command', async () => {
    const next = seeded(0x5c5101);
    const sent: { spec: CommandSpec; cdb: Uint8Array }[] = [];
    for (const spec of COMMANDS)
      // The first with every field all ones, so each field is compared once at least not zero.
      for (let i = 0; i < CASES_PER_COMMAND; i++)
        sent.push({ spec, cdb: seededCdb(spec, i === 0 ? undefined : next) });

    const file = join(testTempDir('tshark-cdb'), 'cdbs.pcap');
    const t = await openDevice('emu:flash-stick', { capture: file });
    if (!t.ok) throw new Error(t.error.message);
    // INQUIRY first, as a host does: Wireshark takes the device type from its answer.
    await t.value.execute({
      cdb: Uint8Array.from([0x12, 0, 0, 0, 36, 0]),
      lun: 0,
      direction: 'in',
      transferLength: 36,
      timeoutMs: 2000,
    });
    // No data stage: the CBW, which is what is compared, is the same whatever the drive answers.
    for (const { cdb } of sent)
      await t.value.execute({ cdb, lun: 0, direction: 'none', transferLength: 0, timeoutMs: 2000 });
    await t.value.close();

    // Match each CDB sent to its CBW in order; the CBWs between are the engine's own (REQUEST
    // SENSE after a CHECK CONDITION).
    const frames = cbwFrames(file);
    const shown = dissected(file);
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    let at = 0;
    const mismatches: string[] = [];
    const compared = new Map<string, { nonZero: boolean }>();
    const seenRaw = new Set<string>();
    for (const { spec, cdb } of sent) {
      const want = hex(cdb);
      const index = frames.findIndex((f, i) => i >= at && f.cdb === want);
      const ws = shown.get(frames[index]?.frame ?? -1);
      const names = WIRESHARK[spec.name];
      if (!ws || !names) {
        mismatches.push(
          `${spec.name} ${want}: ${ws ? 'no row in WIRESHARK' : 'no dissected CBW in the capture'}`,
        );
        continue;
      }
      at = index + 1;
      if ('undissected' in names) {
        // Still true: Wireshark shows the CDB as bytes.
        if (!ws.raw)
          mismatches.push(`${spec.name}: Wireshark now dissects it (${names.undissected})`);
        seenRaw.add(spec.name);
        continue;
      }
      const opcode = ws.fields.get('scsi_sbc.opcode') ?? ws.fields.get('scsi.spc.opcode');
      if (opcode === undefined || wiresharkValue(opcode) !== BigInt(spec.opcode))
        mismatches.push(`${spec.name} ${want}: Wireshark's opcode is ${opcode}`);
      for (const [key, name] of Object.entries(names)) {
        const named: Named = typeof name === 'string' ? { field: name } : name;
        const f = spec.fields.find((x) => x.key === key);
        const show = ws.fields.get(named.field);
        if (!f) mismatches.push(`${spec.name} has no field ${key}`);
        // Shown only when other fields ask for it (the coverage check below sees it was shown).
        if (!f || show === undefined) continue;
        const ours = (named.ours ?? ((v: bigint) => v))(readField(cdb, f));
        const id = `${spec.name} ${key}`;
        compared.set(id, { nonZero: (compared.get(id)?.nonZero ?? false) || ours !== 0n });
        if (ours !== wiresharkValue(show))
          mismatches.push(
            `${spec.name} ${want}: ${key} is ${ours} to usbcdb, ${named.field} = ${show} to Wireshark`,
          );
      }
    }
    expect(mismatches).toEqual([]);

    // Coverage: every name in the table was found and compared with a value other than zero at
    // least once, so a misspelt Wireshark field cannot pass unseen.
    const missing = Object.entries(WIRESHARK).flatMap(([command, names]) =>
      'undissected' in names
        ? seenRaw.has(command)
          ? []
          : [`${command}: never sent`]
        : Object.keys(names)
            .filter((key) => !compared.get(`${command} ${key}`)?.nonZero)
            .map((key) => `${command} ${key}`),
    );
    expect(missing).toEqual([]);
  });
});
