/**
 * NVMe behind USB bridges through the whole Bulk-Only path: the ASMedia E6h
 * and Realtek E4h pass-through CDBs (docs/bridges.md, "NVMe behind USB bridges")
 * to the emulated NVMe SSD, each answer decoded with the set's own response
 * layout and checked against the profile that defines the drive.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { findRow, decodeLayout, type DecodedRow } from '../../shared/vendor-sets/layout';
import type { Layout } from '../../shared/vendor-sets/model';
import { findVendorSet } from '../../shared/vendor-sets/registry';
import { DiskLu } from '../../src-main/emulator/disk';
import type { Profile } from '../../src-main/emulator/profile';
import { MemoryStore } from '../../src-main/emulator/store';
import type { Transport } from '../../src-main/engine/transport';
import { hex, openReady, profile, senseCodes } from './helpers';
import { expectSmartHealth, raw } from './nvme-rows';

/** ASMedia E6h: 1 admin opcode, 3 CDW10 7:0, 6–7 CDW10 31:16 (NUMDL) BE, 8–11 CDW13, 12–15 CDW12. */
const ASMEDIA = {
  identifyController: 'e6 06 00 01 00 00 00 00 00 00 00 00 00 00 00 00', // Identify, CNS 01h
  identifyNamespace: 'e6 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00', // Identify, CNS 00h
  smartLog: 'e6 02 00 02 00 00 00 7f 00 00 00 00 00 00 00 00', // Get Log Page 02h, NUMDL 127: 512 bytes
  errorLog: 'e6 02 00 01 00 00 00 ff 00 00 00 00 00 00 00 00', // Get Log Page 01h, NUMDL 255: 1024 bytes
  smartLogAt64: 'e6 02 00 02 00 00 00 0f 00 00 00 00 00 00 00 40', // NUMDL 15 (64 bytes), CDW12 offset 64
};
/** Realtek E4h: 1–2 transfer length little-endian, 3 admin opcode, 4 CDW10 7:0. */
const REALTEK = {
  identifyController: 'e4 00 10 06 01 00 00 00 00 00 00 00 00 00 00 00', // 4096 bytes, Identify CNS 01h
  identifyNamespace: 'e4 00 10 06 00 00 00 00 00 00 00 00 00 00 00 00', // 4096 bytes, Identify CNS 00h
  smartLog: 'e4 00 02 02 02 00 00 00 00 00 00 00 00 00 00 00', // 512 bytes, Get Log Page 02h
  errorLog1024: 'e4 00 04 02 01 00 00 00 00 00 00 00 00 00 00 00', // 1024 bytes asked, Get Log Page 01h
};

function layoutOf(set: string, alias: string): Layout {
  const c = findVendorSet(set)?.commands.find((x) => x.spec.aliases.includes(alias));
  if (!c?.response) throw new Error(`${alias} has no response layout`);
  return c.response;
}

function nvmeOf(p: Profile): NonNullable<Profile['nvme']> {
  if (!p.nvme) throw new Error(`${p.name} has no nvme section`);
  return p.nvme;
}

function send(t: Transport, cdb: string, transferLength = 0) {
  return t.execute({
    cdb: hex(cdb),
    lun: 0,
    direction: transferLength > 0 ? 'in' : 'none',
    transferLength,
    timeoutMs: 5000,
  });
}

for (const family of [
  { set: 'asmedia', profile: 'asmedia-nvme', cdbs: ASMEDIA },
  { set: 'realtek', profile: 'realtek-nvme', cdbs: REALTEK },
] as const) {
  const p = profile(family.profile);
  const nvme = nvmeOf(p);
  const decode = (alias: string, data: Uint8Array): DecodedRow[] =>
    decodeLayout(layoutOf(family.set, `${family.set}.${alias}`), data);

  describe(`NVMe through the ${family.set} bridge (emu:${family.profile})`, () => {
    let t: Transport;
    beforeEach(async () => {
      t = await openReady(family.profile);
    });

    it('Identify Controller: the profile’s PCI vendor, serial, model, firmware, version, one namespace', async () => {
      const o = await send(t, family.cdbs.identifyController, 4096);
      expect(o.status).toBe(0);
      expect(o.dataIn).toHaveLength(4096);
      const rows = decode('identify-controller', o.dataIn);
      expect(raw(rows, 'pciVendorId')).toBe(nvme.pciVendorId);
      expect(raw(rows, 'serial')).toBe(nvme.serial);
      expect(raw(rows, 'model')).toBe(nvme.model);
      expect(raw(rows, 'firmware')).toBe(nvme.firmware);
      expect(raw(rows, 'mdts')).toBe(nvme.mdts);
      expect(raw(rows, 'version')).toBe(nvme.version);
      expect(raw(rows, 'namespaces')).toBe(1);
      expect(raw(rows, 'tnvmcap')).toBe(p.blocks * p.blockSize);
      // Text fields are space padded, not NUL padded (NVMe 1.4, figure 247).
      expect(o.dataIn[4 + 19]).toBe(0x20);
    });

    it('Identify Namespace: size, capacity and utilisation are the drive’s blocks, LBADS its block size', async () => {
      const o = await send(t, family.cdbs.identifyNamespace, 4096);
      expect(o.status).toBe(0);
      const rows = decode('identify-namespace', o.dataIn);
      expect(raw(rows, 'nsze')).toBe(p.blocks);
      expect(raw(rows, 'ncap')).toBe(p.blocks);
      expect(raw(rows, 'nuse')).toBe(p.blocks);
      expect(raw(rows, 'nlbaf')).toBe(0);
      expect(raw(rows, 'lbaFormatInUse')).toBe(0);
      expect(2 ** Number(raw(rows, 'lbaFormats.0.lbads'))).toBe(p.blockSize);
      expect(raw(rows, 'lbaFormats.0.metadataSize')).toBe(0);
    });

    it('SMART / Health log: every value of the profile, temperature in kelvin', async () => {
      const o = await send(t, family.cdbs.smartLog, 512);
      expect(o.status).toBe(0);
      expect(o.dataIn).toHaveLength(512);
      const rows = decode('smart-log', o.dataIn);
      const s = nvme.smart;
      expectSmartHealth(rows, s);
      expect(raw(rows, 'spareBelowThreshold')).toBe(false);
      expect(raw(rows, 'temperatureSensors.0.kelvin')).toBe(s.temperatureKelvin);
      // The high 8 bytes of each 16-byte counter are zero for these values.
      expect(Array.from(o.dataIn.subarray(40, 48))).toEqual(new Array<number>(8).fill(0));
    });
  });
}

describe('bridge-specific behaviour', () => {
  it('ASMedia: the error log returns (NUMDL + 1) × 4 bytes, every entry empty', async () => {
    const t = await openReady('asmedia-nvme');
    const o = await send(t, ASMEDIA.errorLog, 1024);
    expect(o.status).toBe(0);
    expect(o.dataIn).toHaveLength(1024);
    const rows = decodeLayout(layoutOf('asmedia', 'asmedia.error-log'), o.dataIn);
    expect(findRow(rows, 'entries')?.children).toHaveLength(16);
    expect(raw(rows, 'entries.15.errorCount')).toBe(0);
  });

  it('ASMedia: CDW12 is the log page offset', async () => {
    const t = await openReady('asmedia-nvme');
    const whole = await send(t, ASMEDIA.smartLog, 512);
    const part = await send(t, ASMEDIA.smartLogAt64, 64);
    expect(part.status).toBe(0);
    expect(Array.from(part.dataIn)).toEqual(Array.from(whole.dataIn.subarray(64, 128)));
  });

  it('Realtek: a log read above 512 bytes returns only the first 512', async () => {
    const t = await openReady('realtek-nvme');
    const o = await send(t, REALTEK.errorLog1024, 1024);
    expect(o.status).toBe(0);
    expect(o.residue).toBe(512);
    expect(o.dataIn).toHaveLength(512);
    const rows = decodeLayout(layoutOf('realtek', 'realtek.error-log'), o.dataIn);
    expect(findRow(rows, 'entries')?.children).toHaveLength(8);
  });

  it('a bridge without the set answers the other family’s CDB with INVALID COMMAND OPERATION CODE', async () => {
    const t = await openReady('asmedia-nvme');
    const o = await send(t, REALTEK.identifyController, 4096);
    expect(o.status).toBe(2);
    expect(senseCodes(o)).toBe('5/20/00');
  });

  it('a drive speaking the set but holding no NVMe SSD refuses the command (05/20/00)', async () => {
    const p = profile('asmedia-nvme');
    const { nvme: _drop, ...rest } = p;
    const lu = new DiskLu(rest, new MemoryStore(p.blockSize, 16));
    lu.takeUnitAttention(); // the power-on unit attention
    const r = await lu.execute(hex(ASMEDIA.identifyController));
    expect(r.status).toBe('check-condition');
    expect(lu.takeSense()).toMatchObject({ key: 5, asc: 0x20, ascq: 0 });
  });
});
