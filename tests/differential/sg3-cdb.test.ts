/**
 * Golden CDBs checked against sg3_utils: each program prints the CDB it is
 * about to send (with -vv) before the pass-through fails on /dev/null, so
 * usbcdb's builder and sg3_utils' hand-written builders can be compared
 * byte for byte. Programs that first send an INQUIRY (sg_modes, sg_logs,
 * sg_opcodes, sg_unmap, sg_sanitize, sg_format) stop before printing the CDB
 * of interest on /dev/null, so they are not in this list.
 */
import { describe, expect, it } from 'vitest';
import { findByName, COMMANDS } from '../../shared/scsi/catalog';
import { buildCdb, type FieldValues } from '../../shared/scsi/cdb/build';
import { formatHex } from '../../shared/scsi/hex';
import { runSg3 } from './peers';
import { fileTempDir } from '../temp-dir';

interface Case {
  readonly argv: readonly string[];
  readonly command: string;
  readonly fields: FieldValues;
}

const CASES: readonly Case[] = [
  { argv: ['sg_inq'], command: 'inquiry', fields: {} },
  { argv: ['sg_inq', '-l', '96'], command: 'inquiry', fields: { allocationLength: 96 } },
  // -f: without it sg_inq first fetches the supported-pages page (12 01 00 …) to check 80h is listed.
  {
    argv: ['sg_inq', '-f', '-p', '0x80'],
    command: 'inquiry',
    fields: { evpd: 1, pageCode: 0x80, allocationLength: 0xfc },
  },
  { argv: ['sg_turs'], command: 'tur', fields: {} },
  { argv: ['sg_requests'], command: 'request-sense', fields: { allocationLength: 0xfc } },
  {
    argv: ['sg_requests', '-d'],
    command: 'request-sense',
    fields: { desc: 1, allocationLength: 0xfc },
  },
  { argv: ['sg_readcap'], command: 'readcap', fields: {} },
  { argv: ['sg_readcap', '-l'], command: 'readcap16', fields: { allocationLength: 32 } },
  { argv: ['sg_start', '--start'], command: 'start-stop-unit', fields: { start: 1 } },
  { argv: ['sg_start', '--stop'], command: 'start-stop-unit', fields: {} },
  { argv: ['sg_start', '--eject'], command: 'start-stop-unit', fields: { loej: 1 } },
  { argv: ['sg_prevent', '--prevent=1'], command: 'prevent-allow', fields: { prevent: 1 } },
  { argv: ['sg_sync'], command: 'sync', fields: {} },
  {
    argv: ['sg_sync', '--16', '--lba=16', '--count=8', '--immed'],
    command: 'sync16',
    fields: { lba: 16, numberOfBlocks: 8, immed: 1 },
  },
  { argv: ['sg_luns'], command: 'report-luns', fields: { allocationLength: 8192 } },
  {
    argv: ['sg_verify', '--lba=16', '--count=4'],
    command: 'verify10',
    fields: { lba: 16, verificationLength: 4 },
  },
  {
    argv: ['sg_verify', '--16', '--lba=16', '--count=4'],
    command: 'verify16',
    fields: { lba: 16, verificationLength: 4 },
  },
  { argv: ['sg_senddiag', '-t'], command: 'send-diagnostic', fields: { selfTest: 1 } },
  { argv: ['sg_read_buffer', '-m', '3'], command: 'read-buffer', fields: { mode: 3 } },
  {
    argv: ['sg_write_buffer', '-m', '5', '-I', '@FW'],
    command: 'write-buffer',
    fields: { mode: 5, parameterListLength: 1024 },
  },
  {
    argv: ['sg_write_buffer', '-m', '7', '-o', '512', '-I', '@FW'],
    command: 'write-buffer',
    fields: { mode: 7, bufferOffset: 512, parameterListLength: 1024 },
  },
  {
    argv: ['sg_write_same', '--lba=4', '--num=2', '--10', '-i', '@FW'],
    command: 'write-same10',
    fields: { lba: 4, numberOfBlocks: 2 },
  },
  // ZBC-2 ZONE OUT and REMOVE ELEMENT AND MODIFY ZONES: the CDBs that empty zones or take them offline.
  {
    argv: ['sg_reset_wp', '--zone=0x1000', '--count=2'],
    command: 'reset-write-pointer',
    fields: { zoneId: 0x1000, zoneCount: 2 },
  },
  { argv: ['sg_reset_wp', '--all'], command: 'reset-write-pointer', fields: { all: 1 } },
  {
    argv: ['sg_zone', '--close', '--zone=0x80000', '--count=3'],
    command: 'close-zone',
    fields: { zoneId: 0x80000, zoneCount: 3 },
  },
  {
    argv: ['sg_zone', '--finish', '--zone=0x2000'],
    command: 'finish-zone',
    fields: { zoneId: 0x2000 },
  },
  { argv: ['sg_zone', '--open', '--all'], command: 'open-zone', fields: { all: 1 } },
  {
    argv: ['sg_zone', '--sequentialize', '--zone=5'],
    command: 'sequentialize-zone',
    fields: { zoneId: 5 },
  },
  {
    argv: ['sg_zone', '--remove', '--element=2'],
    command: 'remove-element-and-modify-zones',
    fields: { elementIdentifier: 2 },
  },
  // IDENTIFY DEVICE: PROTOCOL 4 (PIO data-in), T_DIR=1, BYT_BLOK=1, T_LENGTH=2 (COUNT), COUNT=1, COMMAND ECh.
  {
    argv: ['sg_sat_identify'],
    command: 'ata16',
    fields: { protocol: 4, tDir: 1, bytBlok: 1, tLength: 2, count: 1, command: 0xec },
  },
  {
    argv: ['sg_sat_identify', '--len=12'],
    command: 'ata12',
    fields: { protocol: 4, tDir: 1, bytBlok: 1, tLength: 2, count: 1, command: 0xec },
  },
];

/** sg3_utils prints "inquiry cdb: [12 00 …]" or "cdb: Request Sense [03 …]". */
function printedCdbs(output: string): string[] {
  return [...output.matchAll(/cdb:[^[\n]*\[([0-9a-f ]+)\]/gi)].map((m) => (m[1] as string).trim());
}

async function firmwareFile(): Promise<string> {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const dir = fileTempDir('sg3');
  const path = join(dir, 'fw.bin');
  writeFileSync(path, new Uint8Array(1024));
  return path;
}

describe('builder vs sg3_utils', async () => {
  const fw = await firmwareFile();
  for (const c of CASES) {
    it(`${c.argv.join(' ')} = usbcdb build ${c.command}`, () => {
      const spec = findByName(c.command);
      if (!spec) throw new Error(`${c.command} is not in the catalog`);
      const ours = buildCdb(spec, c.fields);
      expect(ours.ok).toBe(true);
      const [program, ...rest] = c.argv as [string, ...string[]];
      const out = runSg3(program, ['-vv', ...rest.map((a) => a.replace('@FW', fw)), '/dev/null']);
      const printed = printedCdbs(out);
      expect(printed.length, `no CDB printed by ${program}:\n${out}`).toBeGreaterThan(0);
      expect(printed).toContain(ours.ok ? formatHex(ours.value) : '');
    });
  }
  it(`compared ${CASES.length} CDBs`, () => {
    process.stdout.write(`sg3_utils CDB differential: ${CASES.length} CDBs compared\n`);
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });
});

/**
 * sg_raw names the opcode it sends; usbcdb's names should be sg3_utils' names,
 * ignoring case and punctuation. sg3_utils may append detail ("Read buffer(10),
 * combined header and data"), so one name must start with the other.
 */
describe('catalog names vs sg_raw', () => {
  const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9()]/g, '');
  for (const c of COMMANDS) {
    it(`${c.name}`, () => {
      const cdb = new Uint8Array(c.cdbLength);
      cdb[0] = c.opcode;
      if (c.serviceAction !== undefined) cdb[1] = c.serviceAction;
      const out = runSg3('sg_raw', ['-vvv', '/dev/null', ...formatHex(cdb).split(' ')]);
      const m = /cdb to send: (.*?) \[/.exec(out);
      expect(m, out).not.toBeNull();
      const theirs = (m?.[1] ?? '').trim();
      const ours = c.name;
      expect(
        norm(theirs).startsWith(norm(ours)) || norm(ours).startsWith(norm(theirs)),
        `sg_raw: "${theirs}", usbcdb: "${ours}"`,
      ).toBe(true);
    });
  }
});
