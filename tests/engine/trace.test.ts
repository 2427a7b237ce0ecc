import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHex } from '../../shared/scsi/hex';
import { testTempDir } from '../temp-dir';
import { openDevice } from '../../src-main/engine/device-string';
import { RecordingTransport, type TraceSink } from '../../src-main/engine/recorder';
import { ok } from '../../shared/scsi/result';
import { parseTrace } from '../../shared/trace';
import { diagnose } from '../../shared/doctor/doctor';
import type { CommandRequest, Transport } from '../../src-main/engine/transport';

const TUR: CommandRequest = {
  cdb: new Uint8Array(6),
  lun: 0,
  direction: 'none',
  transferLength: 0,
  timeoutMs: 1000,
};
const INQ: CommandRequest = {
  cdb: Uint8Array.from([0x12, 0, 0, 0, 36, 0]),
  lun: 0,
  direction: 'in',
  transferLength: 36,
  timeoutMs: 1000,
};
const WRITE: CommandRequest = {
  cdb: Uint8Array.from([0x2a, 0, 0, 0, 0, 1, 0, 0, 1, 0]),
  lun: 0,
  direction: 'out',
  transferLength: 512,
  dataOut: new Uint8Array(512).fill(7),
  timeoutMs: 1000,
};

async function emu(): Promise<Transport> {
  const d = await openDevice('emu:');
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
}

/** A trace sink that keeps the lines in memory. */
function intoArray(lines: string[]): TraceSink {
  return {
    append: (line) => {
      lines.push(line);
      return ok(undefined);
    },
  };
}

describe('recording and replaying a session', () => {
  it('records every exchange as JSON lines and replays them exactly', async () => {
    const lines: string[] = [];
    const rec = new RecordingTransport(await emu(), intoArray(lines));
    const live = [await rec.execute(TUR), await rec.execute(INQ), await rec.execute(WRITE)];
    expect(lines).toHaveLength(4);
    const dir = testTempDir('trace');
    const file = join(dir, 'session.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const replay = await openDevice(`replay:${file}`);
    if (!replay.ok) throw new Error(replay.error.message);
    expect(replay.value.describe()).toMatchObject({
      kind: 'replay',
      product: 'Emulated Flash Stick',
    });
    const again = [
      await replay.value.execute(TUR),
      await replay.value.execute(INQ),
      await replay.value.execute(WRITE),
    ];
    for (const [i, o] of again.entries()) {
      expect(o.status).toBe(live[i]?.status);
      expect(formatHex(o.dataIn)).toBe(formatHex(live[i]?.dataIn ?? new Uint8Array()));
      expect(o.sense && formatHex(o.sense)).toBe(
        live[i]?.sense && formatHex(live[i]?.sense ?? new Uint8Array()),
      );
    }
    // The power-on unit attention was recorded with its sense.
    expect(again[0]?.status).toBe(2);
    const over = await replay.value.execute(TUR);
    expect(over.transportError?.message).toMatch(/only 3 exchanges/);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toMatch(/"usbcdbTrace":1/);
  });

  it('refuses a request that differs from the recording, saying what was expected', async () => {
    const lines: string[] = [];
    const rec = new RecordingTransport(await emu(), intoArray(lines));
    await rec.execute(INQ);
    const t = parseTrace(lines.join('\n'));
    expect(t.ok).toBe(true);
    const dir = testTempDir('trace');
    writeFileSync(join(dir, 't.jsonl'), lines.join('\n'));
    const replay = await openDevice(`replay:${join(dir, 't.jsonl')}`);
    if (!replay.ok) throw new Error(replay.error.message);
    const o = await replay.value.execute(TUR);
    expect(o.transportError?.message).toMatch(
      /exchange 1 was 12 00 00 00 24 00 \(LUN 0, in 36\), not 00 00 00 00 00 00/,
    );
    // No USB transfer took place: the doctor says what a replay wants, not "retry, reset".
    expect(o.transportError?.kind).toBe('replay-mismatch');
    const [first] = diagnose({ cdb: TUR.cdb, transport: 'replay-mismatch' }).diagnoses;
    expect(first?.title).toMatch(/trace being replayed/);
    expect(first?.fix.join(' ')).toMatch(/Send the command the message names/);
    expect(first?.fix.join(' ')).not.toMatch(/reset|retry/i);
    // The command it names is answered as recorded; past the end, the same kind again.
    expect((await replay.value.execute(INQ)).status).toBe(0);
    expect((await replay.value.execute(INQ)).transportError).toMatchObject({
      kind: 'replay-mismatch',
      message: expect.stringMatching(/only 1 exchanges/) as unknown,
    });
  });

  it('replays a file --record appended to twice as one run, in the order recorded', async () => {
    const lines: string[] = [];
    // Two commands, two recordings of one device into one file: each session has its header.
    for (const request of [INQ, TUR]) {
      const rec = new RecordingTransport(await emu(), intoArray(lines));
      await rec.execute(request);
    }
    expect(lines.filter((l) => l.startsWith('{"usbcdbTrace"'))).toHaveLength(2);
    const dir = testTempDir('trace');
    writeFileSync(join(dir, 'both.jsonl'), lines.join('\n') + '\n');
    const replay = await openDevice(`replay:${join(dir, 'both.jsonl')}`);
    if (!replay.ok) throw new Error(replay.error.message);
    // Each session's drive was fresh: its power-on unit attention answers TEST UNIT READY, not
    // INQUIRY, which SPC-5 exempts.
    expect((await replay.value.execute(INQ)).status).toBe(0);
    expect((await replay.value.execute(TUR)).status).toBe(2);
    expect((await replay.value.execute(TUR)).transportError?.message).toMatch(/only 2 exchanges/);
  });

  it('refuses a session of another device appended to a trace, naming the line and both devices', () => {
    const device = (id: string, product: string): string =>
      `{"usbcdbTrace":1,"device":{"id":"${id}","kind":"emu","vendor":"usbcdb","product":"${product}","maxLun":0}}`;
    const tur =
      '{"request":{"cdb":"00 00 00 00 00 00","lun":0,"direction":"none","transferLength":0},"outcome":{"status":0,"dataIn":"","residue":0}}';
    const mixed = [
      device('emu:flash-stick', 'Stick'),
      tur,
      device('emu:card-reader', 'Reader'),
      tur,
    ];
    expect(parseTrace(mixed.join('\n'), 'x.jsonl')).toEqual({
      ok: false,
      error: {
        code: 'trace',
        message:
          "x.jsonl line 3: a session recorded from emu:card-reader (usbcdb Reader) follows line 1's, from emu:flash-stick (usbcdb Stick); a replay is one device: keep one device's sessions in a file",
      },
    });
    // An exchange line without its request says so in words.
    const bare = parseTrace([mixed[0], '{"outcome":{}}'].join('\n'), 'x.jsonl');
    expect(!bare.ok && bare.error.message).toBe('x.jsonl line 2: "request" must be an object');
    // A second header that is malformed is named as a header.
    const broken = parseTrace([mixed[0], tur, '{"usbcdbTrace":1}'].join('\n'), 'x.jsonl');
    expect(!broken.ok && broken.error.message).toBe(
      'x.jsonl line 3: expected {"usbcdbTrace":1,"device":{…}}',
    );
  });

  it('names the bad line of a malformed trace', async () => {
    expect(parseTrace('', 'x.jsonl')).toMatchObject({
      ok: false,
      error: { message: 'x.jsonl is empty' },
    });
    expect(parseTrace('{"nope":1}', 'x.jsonl')).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/line 1: expected/) },
    });
    const header =
      '{"usbcdbTrace":1,"device":{"id":"emu:x","kind":"emu","vendor":"v","product":"p","maxLun":0}}';
    const bad = parseTrace(
      `${header}\n{"request":{"cdb":"12 zz","lun":0,"direction":"in","transferLength":36},"outcome":{"status":0,"dataIn":"","residue":0}}`,
      'x.jsonl',
    );
    expect(!bad.ok && bad.error.message).toMatch(
      /x\.jsonl line 2 request cdb: "zz" is not hexadecimal/,
    );
    const dir = parseTrace(
      `${header}\n{"request":{"cdb":"00","lun":0,"direction":"up","transferLength":0},"outcome":{"status":0,"dataIn":"","residue":0}}`,
      'x.jsonl',
    );
    expect(!dir.ok && dir.error.message).toMatch(/direction must be none, in or out/);
    // A transport error must be an object with a message: null used to throw a TypeError.
    const failed = (te: string): string | false => {
      const r = parseTrace(
        `${header}\n{"request":{"cdb":"00","lun":0,"direction":"none","transferLength":0},"outcome":{"status":null,"transportError":${te},"dataIn":"","residue":0}}`,
        'x.jsonl',
      );
      return !r.ok && r.error.message;
    };
    expect(failed('null')).toBe('x.jsonl line 2 outcome: "transportError" must be an object');
    expect(failed('{"kind":"timeout"}')).toBe(
      'x.jsonl line 2 outcome: "transportError.message" must be a string',
    );
    expect(failed('{"kind":"timeout","message":"a\\u001b[2J"}')).toBe(
      'x.jsonl line 2 outcome: "transportError.message" holds a control character (U+001B at character 2)',
    );
    expect(failed('{"kind":"timeout","message":"timed out"}')).toBe(false);
    // The replayed device's name is printed too: one line of printable text.
    const rlo = parseTrace(header.replace('"p"', '"p\\u202egpj"'), 'x.jsonl');
    expect(!rlo.ok && rlo.error.message).toBe(
      'x.jsonl line 1: device.product holds a control character (U+202E at character 2)',
    );
    // ...and a short one, as long as a USB string descriptor's at most.
    expect(parseTrace(header.replace('"v"', `"${'v'.repeat(126)}"`), 'x.jsonl').ok).toBe(true);
    const long = parseTrace(header.replace('"v"', `"${'v'.repeat(127)}"`), 'x.jsonl');
    expect(!long.ok && long.error.message).toBe(
      'x.jsonl line 1: device.vendor must be a string of at most 126 characters',
    );
    expect(await openDevice('replay:/nonexistent.jsonl')).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/cannot open \/nonexistent\.jsonl/) },
    });
  });
});
