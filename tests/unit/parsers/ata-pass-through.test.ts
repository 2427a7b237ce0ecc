/**
 * ATA PASS-THROUGH answers read field by field: the ATA command table is the
 * `sat` set's sub-catalog, and decodeResponse reads an 85h/A1h CDB's data-in
 * by the carried command's response layout — here on the bytes the emulated
 * sata-bridge drive actually returns.
 */
import { describe, expect, it } from 'vitest';
import {
  ATA_COMMAND_NAMES,
  ATA_COMMANDS,
  ataCommandFor,
  ataCommandNamed,
  ataRowsOf,
  passThroughLayout,
  readPassThrough,
} from '../../../shared/scsi/ata-commands';
import { parseHex } from '../../../shared/scsi/hex';
import { decodeResponse } from '../../../shared/scsi/parsers/for-command';
import type { DecodedRow } from '../../../shared/vendor-sets/layout';
import { findVendorSet } from '../../../shared/vendor-sets/registry';
import { identifyDevice } from '../../../src-main/emulator/ata/identify';
import { logDirectory, smartData, smartThresholds } from '../../../src-main/emulator/ata/smart';
import { findProfile } from '../../../src-main/emulator/profiles';

const cdb = (hex: string): Uint8Array => {
  const r = parseHex(hex, 'cdb');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** PT(16), PIO data-in, T_DIR in, BYT_BLOK, T_LENGTH in COUNT: one 512-byte block. */
const IDENTIFY = cdb('85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00');
const SMART_DATA = cdb('85 08 0e 00 d0 00 01 00 00 00 4f 00 c2 00 b0 00');
const SMART_THRESHOLDS = cdb('85 08 0e 00 d1 00 01 00 00 00 4f 00 c2 00 b0 00');
/** READ LOG EXT is 48-bit: PT(16) with EXTEND=1; LBA 7:0 (byte 8) is the log address. */
const LOG_DIRECTORY = cdb('85 09 0e 00 00 00 01 00 00 00 00 00 00 00 2f 00');
const LOG_03 = cdb('85 09 0e 00 00 00 01 00 03 00 00 00 00 00 2f 00');

const profile = findProfile('sata-bridge') ?? expect.fail('no sata-bridge profile');
const ata = profile.ata ?? expect.fail('sata-bridge has no ata section');

/** The row with dotted key `key`, anywhere in the tree. */
function rowOf(rows: readonly DecodedRow[], key: string): DecodedRow | undefined {
  for (const r of rows) {
    if (r.key === key) return r;
    const inner = rowOf(r.children ?? [], key);
    if (inner) return inner;
  }
  return undefined;
}

describe('the ATA command table is the sat set’s sub-catalog', () => {
  it('has one row per sat ATA command, in order, with its code, FEATURES and block count', () => {
    const sat = findVendorSet('sat')?.ataCommands ?? [];
    expect(ATA_COMMANDS.map((r) => r.name)).toEqual(sat.map((r) => r.name));
    expect(ATA_COMMANDS.map((r) => [r.code, r.features, r.protocol, r.blocks, r.ext])).toEqual(
      sat.map((r) => [r.code, r.features, r.protocol, r.blocks, r.ext]),
    );
    expect(ATA_COMMANDS.map((r) => r.name)).toEqual([...ATA_COMMAND_NAMES]);
  });

  it('marks a row reads exactly when its effect is reads', () => {
    expect(ataCommandNamed('IDENTIFY DEVICE').reads).toBe(true);
    expect(ataCommandNamed('SMART ENABLE OPERATIONS').reads).toBe(false);
    expect(ataCommandNamed('WRITE DMA EXT').reads).toBe(false);
    for (const r of ATA_COMMANDS) expect(r.reads, r.name).toBe(r.effect === 'reads');
  });

  it('refuses rows whose names are not exactly ATA_COMMAND_NAMES', () => {
    const sat = findVendorSet('sat')?.ataCommands ?? [];
    const renamed = sat.map((r, i) => (i === 0 ? { ...r, name: 'IDENTIFY DRIVE' } : r));
    expect(() => ataRowsOf(renamed)).toThrow(
      /IDENTIFY DRIVE.*ATA_COMMAND_NAMES lists IDENTIFY DEVICE/,
    );
    expect(() => ataRowsOf(sat.slice(1))).toThrow(/ATA_COMMAND_NAMES/);
    expect(ataRowsOf(sat)).toHaveLength(ATA_COMMAND_NAMES.length);
  });

  it('finds a SMART sub-command by FEATURES', () => {
    expect(ataCommandFor(0xb0, 0xd0)?.name).toBe('SMART READ DATA');
    expect(ataCommandFor(0xb0, 0x00)).toBeUndefined();
  });
});

describe('passThroughLayout', () => {
  it('is the carried command’s response layout', () => {
    const pt = readPassThrough(IDENTIFY) ?? expect.fail('not a pass-through');
    expect(passThroughLayout(pt)).toBe(ataCommandNamed('IDENTIFY DEVICE').response);
  });

  it('reads a log as the directory only at log address 00h (responseWhen)', () => {
    const at00 = readPassThrough(LOG_DIRECTORY) ?? expect.fail('not a pass-through');
    expect(passThroughLayout(at00)).toBe(ataCommandNamed('READ LOG EXT').response);
    const at03 = readPassThrough(LOG_03) ?? expect.fail('not a pass-through');
    expect(passThroughLayout(at03)).toBeUndefined();
  });

  it('is undefined for a command without a layout', () => {
    const pt = readPassThrough(cdb('85 06 20 00 00 00 00 00 00 00 00 00 00 00 e5 00'));
    expect(pt?.row?.name).toBe('CHECK POWER MODE');
    expect(pt && passThroughLayout(pt)).toBeUndefined();
  });
});

describe('decodeResponse on an ATA PASS-THROUGH', () => {
  const identify = identifyDevice(ata, { sectors: profile.blocks, sectorSize: profile.blockSize });

  it('reads the emulated drive’s IDENTIFY DEVICE: model, serial, firmware, capacity', () => {
    const d = decodeResponse(IDENTIFY, identify) ?? expect.fail('not decoded');
    expect(d.title).toBe('ATA PASS-THROUGH(16): IDENTIFY DEVICE');
    const tree = d.tree ?? expect.fail('no tree');
    expect(rowOf(tree, 'model')?.raw).toBe(ata.model);
    expect(rowOf(tree, 'serial')?.raw).toBe(ata.serial);
    expect(rowOf(tree, 'firmware')?.raw).toBe(ata.firmware);
    expect(rowOf(tree, 'sectors48')?.raw).toBe(BigInt(profile.blocks));
    expect(rowOf(tree, 'sectors28')?.raw).toBe(profile.blocks);
    // Words 27–46, bytes 54–93: the row points at the model's bytes for the hex view.
    expect(rowOf(tree, 'model')).toMatchObject({ offset: 54, length: 40 });
  });

  it('reads the feature words, the 4096-byte logical sector, the rotation rate and the integrity word', () => {
    const tree = decodeResponse(IDENTIFY, identify)?.tree ?? expect.fail('no tree');
    expect(rowOf(tree, 'supported82.smart')?.raw).toBe(true);
    expect(rowOf(tree, 'enabled85.smart')?.raw).toBe(true);
    expect(rowOf(tree, 'supported83.lba48')?.raw).toBe(true);
    expect(rowOf(tree, 'supported83.validity')?.value).toBe('valid (1)');
    expect(rowOf(tree, 'supported82.security')?.raw).toBe(false);
    expect(rowOf(tree, 'majorVersion.acs4')?.raw).toBe(true);
    expect(rowOf(tree, 'sectorSizes.longLogicalSector')?.raw).toBe(true);
    expect(rowOf(tree, 'logicalSectorWords')?.raw).toBe(profile.blockSize / 2);
    expect(rowOf(tree, 'dataSetManagement.trim')?.raw).toBe(true);
    expect(rowOf(tree, 'rotationRate')?.value).toBe('non-rotating medium (1)');
    expect(rowOf(tree, 'integritySignature')?.value).toBe('checksum valid (165)');
    expect(rowOf(tree, 'integrityChecksum')?.raw).toBe(identify[511]);
  });

  it('reads SMART READ DATA: attribute ids by smartctl’s names, values, the 48-bit raw in two parts', () => {
    const data = smartData(ata.attributes);
    const tree = decodeResponse(SMART_DATA, data)?.tree ?? expect.fail('no tree');
    expect(rowOf(tree, 'attributes.0.id')?.value).toBe('Reallocated_Sector_Ct (5)');
    expect(rowOf(tree, 'attributes.1.id')?.value).toBe('Power_On_Hours (9)');
    expect(rowOf(tree, 'attributes.1.rawLow')?.raw).toBe(4321);
    expect(rowOf(tree, 'attributes.1.rawHigh')?.raw).toBe(0);
    expect(rowOf(tree, 'attributes.3.id')?.value).toBe('Temperature_Celsius (194)');
    expect(rowOf(tree, 'attributes.3.worst')?.raw).toBe(52);
    expect(rowOf(tree, 'attributes.0.preFailure')?.raw).toBe(true);
    expect(rowOf(tree, 'attributes.29.id')?.value).toBe('unused (0)');
    expect(rowOf(tree, 'selfTestStatus.status')?.value).toBe(
      'completed without error, or none run (0)',
    );
    expect(rowOf(tree, 'smartCapability.autosave')?.raw).toBe(true);
    expect(rowOf(tree, 'checksum')?.raw).toBe(data[511]);
  });

  it('reads the raw value’s high bytes (47:32) apart from its low 32 bits', () => {
    const data = smartData([
      { id: 241, flags: 0x32, current: 100, worst: 100, threshold: 0, raw: 0x0123_4567_89ab },
    ]);
    const tree = decodeResponse(SMART_DATA, data)?.tree ?? expect.fail('no tree');
    expect(rowOf(tree, 'attributes.0.id')?.value).toBe('Total_LBAs_Written (241)');
    expect(rowOf(tree, 'attributes.0.rawLow')?.raw).toBe(0x456789ab);
    expect(rowOf(tree, 'attributes.0.rawHigh')?.raw).toBe(0x0123);
  });

  it('names attribute 231 for both kinds of drive: smartctl’s temperature is a hard disk’s only', () => {
    // The emulated SSD (IDENTIFY word 217 = 1) keeps life left in 231; drivedb.h DEFAULT flags
    // Temperature_Celsius there HDD-only, and SMART data alone does not say which drive sent it.
    const both = 'Temperature_Celsius (HDD) or SSD_Life_Left (SSD) (231)';
    const data = decodeResponse(SMART_DATA, smartData(ata.attributes))?.tree;
    const thresholds = decodeResponse(SMART_THRESHOLDS, smartThresholds(ata.attributes))?.tree;
    expect(rowOf(data ?? [], 'attributes.4.id')?.value).toBe(both);
    expect(rowOf(thresholds ?? [], 'thresholds.4.id')?.value).toBe(both);
  });

  // drivedb.h DEFAULT flags these names ',HDD' or ',SSD'; for the other kind of drive smartctl
  // prints Unknown_SSD_Attribute or Unknown_HDD_Attribute instead (atacmds.cpp,
  // ata_get_smart_attr_name), and SMART data alone does not say which kind sent it.
  it.each([
    [7, 'Seek_Error_Rate (HDD) or Unknown_SSD_Attribute (SSD)'],
    [8, 'Seek_Time_Performance (HDD) or Unknown_SSD_Attribute (SSD)'],
    [10, 'Spin_Retry_Count (HDD) or Unknown_SSD_Attribute (SSD)'],
    [11, 'Calibration_Retry_Count (HDD) or Unknown_SSD_Attribute (SSD)'],
    [175, 'Unknown_HDD_Attribute (HDD) or Program_Fail_Count_Chip (SSD)'],
    [176, 'Unknown_HDD_Attribute (HDD) or Erase_Fail_Count_Chip (SSD)'],
    [177, 'Unknown_HDD_Attribute (HDD) or Wear_Leveling_Count (SSD)'],
    [178, 'Unknown_HDD_Attribute (HDD) or Used_Rsvd_Blk_Cnt_Chip (SSD)'],
    [179, 'Unknown_HDD_Attribute (HDD) or Used_Rsvd_Blk_Cnt_Tot (SSD)'],
    [180, 'Unknown_HDD_Attribute (HDD) or Unused_Rsvd_Blk_Cnt_Tot (SSD)'],
    [182, 'Unknown_HDD_Attribute (HDD) or Erase_Fail_Count_Total (SSD)'],
    [189, 'High_Fly_Writes (HDD) or Unknown_SSD_Attribute (SSD)'],
    [191, 'G-Sense_Error_Rate (HDD) or Unknown_SSD_Attribute (SSD)'],
    [193, 'Load_Cycle_Count (HDD) or Unknown_SSD_Attribute (SSD)'],
    [200, 'Multi_Zone_Error_Rate (HDD) or Unknown_SSD_Attribute (SSD)'],
    [233, 'Unknown_HDD_Attribute (HDD) or Media_Wearout_Indicator (SSD)'],
    [240, 'Head_Flying_Hours (HDD) or Unknown_SSD_Attribute (SSD)'],
  ])('names attribute %i for both kinds of drive, as smartctl does: %s', (id, name) => {
    const attribute = { id, flags: 0x32, current: 100, worst: 100, threshold: 0, raw: 0 };
    const data = decodeResponse(SMART_DATA, smartData([attribute]))?.tree;
    const thresholds = decodeResponse(SMART_THRESHOLDS, smartThresholds([attribute]))?.tree;
    expect(rowOf(data ?? [], 'attributes.0.id')?.value).toBe(`${name} (${String(id)})`);
    expect(rowOf(thresholds ?? [], 'thresholds.0.id')?.value).toBe(`${name} (${String(id)})`);
  });

  it('reads SMART READ THRESHOLDS and the log directory', () => {
    const thresholds = decodeResponse(SMART_THRESHOLDS, smartThresholds(ata.attributes))?.tree;
    expect(rowOf(thresholds ?? [], 'thresholds.0.id')?.value).toBe('Reallocated_Sector_Ct (5)');
    expect(rowOf(thresholds ?? [], 'thresholds.0.threshold')?.raw).toBe(10);
    const directory = decodeResponse(LOG_DIRECTORY, logDirectory());
    expect(directory?.title).toBe('ATA PASS-THROUGH(16): READ LOG EXT');
    expect(rowOf(directory?.tree ?? [], 'version')?.raw).toBe(1);
    expect(rowOf(directory?.tree ?? [], 'pages.0.pages')?.raw).toBe(0);
  });

  it('has no reading for a log other than the directory, or a command without a layout', () => {
    expect(decodeResponse(LOG_03, new Uint8Array(512))).toBeUndefined();
    expect(
      decodeResponse(cdb('85 08 0e 00 00 00 01 00 00 00 00 00 00 00 a1 00'), identify),
    ).toBeUndefined();
  });
});
