// `npm start`: until the app window exists, the main job on the command line —
// the doctor explaining the DriverKit report's INQUIRY, lint on a few CDBs, then
// the emulated drive: identify, capacity, the report's CDB, vendor commands, a failure explained.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'usbcdb.js');

const REPORT_SENSE = '70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00 00 00';
const steps = [
  {
    say: "The report that started usbcdb: INQUIRY built as 12 00 00 24 00 00 with a 512-byte buffer came back 'ILLEGAL REQUEST 05/20/00'.",
    argv: [
      'doctor',
      '--cdb',
      '12 00 00 24 00 00',
      '--data-in',
      '512',
      '--status',
      '0x00',
      '--service-response',
      '2',
      '--sense',
      REPORT_SENSE,
    ],
  },
  {
    say: 'The same CDB, linked byte by byte, and the corrected one:',
    argv: ['lint', '12 00 00 24 00 00', '12 00 00 00 24 00', '--data-in', '512'],
  },
  {
    say: 'A few more CDBs: a 16-byte padded TEST UNIT READY, SCSI-2 LUN bits in REQUEST SENSE, a READ(10) with reserved bits, a vendor opcode with data-out:',
    argv: [
      'lint',
      '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
      '03 20 00 00 12 00',
      '28 00 00 00 00 00 80 00 01 00',
    ],
  },
  { say: '', argv: ['lint', 'c0 00 00 00 00 00 00 00 00 00', '--data-out', '4096'] },
  {
    say: 'What the sense bytes would mean had the command really failed:',
    argv: ['decode-sense', REPORT_SENSE],
  },
  {
    say: 'Building the right INQUIRY from the catalog:',
    argv: ['build', 'inquiry', '--alloc', '36'],
  },
  {
    say: 'Now the built-in emulated drive (emu:, a QEMU-like flash stick) through real Bulk-Only framing. Identify it and read its capacity:',
    argv: ['inquiry'],
  },
  { say: '', argv: ['readcap'] },
  {
    say: "The report's CDB on that drive succeeds (an SPC-3+ device reads 9216), and is still flagged:",
    argv: ['raw', '12 00 00 24 00 00', '--in', '512'],
  },
  {
    say: 'On an SPC-2-era bridge the same CDB fails, and the failure is explained:',
    argv: ['raw', '12 00 00 24 00 00', '--in', '512', '--device', 'emu:spc2-bridge'],
  },
  {
    say: 'Vendor commands on a drive that implements the example vendor set (usbcdb vendor lists them):',
    argv: ['vendor', 'example.read-log', '--device', 'emu:fw-updatable'],
  },
  { say: '', argv: ['vendor', 'example.firmware-version', '--device', 'emu:fw-updatable'] },
  {
    say: 'The same vendor command behind a USB-SATA bridge that filters vendor opcodes:',
    argv: ['vendor', 'example.firmware-version', '--device', 'emu:sata-bridge'],
  },
];

let broken = false;
for (const s of steps) {
  if (s.say) process.stdout.write(`\n${s.say}\n`);
  process.stdout.write(`$ usbcdb ${s.argv.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...s.argv], { stdio: 'inherit' });
  // Nonzero exits are categories (the doctor reports a failure); 1 is bad syntax and 99 a crash here.
  if (r.status === 1 || r.status === 99 || r.status === null) broken = true;
}
process.stdout.write(
  '\nMore: usbcdb help, usbcdb catalog, usbcdb doctor --help (see README.md).\n',
);
process.exitCode = broken ? 1 : 0;
