/**
 * Images and uploaded traces from the renderer's side, against the real
 * handlers in-process: names, never paths.
 */
import { describe, expect, it } from 'vitest';
import { MAX_TRACE_TEXT } from '../../../shared/ipc/contract';
import { createStore, splitTarget, targetOf } from '../../../src-renderer/store/store';
import { inProcessClient } from './in-process-client';

const TRACE = `${JSON.stringify({
  usbcdbTrace: 1,
  device: { id: 'emu:x', kind: 'emu', vendor: 'LAB', product: 'disk', maxLun: 0 },
})}\n`;

function file(name: string, text: string, size = text.length) {
  return { name, size, text: () => Promise.resolve(text) };
}

describe('targetOf / splitTarget', () => {
  it.each([
    ['emu:flash-stick', '', 'emu:flash-stick'],
    ['emu:flash-stick', 'lab', 'emu:flash-stick?image=lab'],
    ['usb:0781:5581', 'lab', 'usb:0781:5581'],
    ['replay:t', 'lab', 'replay:t'],
  ])('%s with image %j is %s', (device, image, target) => {
    expect(targetOf(device, image)).toBe(target);
    expect(splitTarget(target)).toEqual({ device, image: device.startsWith('emu:') ? image : '' });
  });

  it('has no target without a device', () => expect(targetOf(undefined, 'x')).toBeUndefined());
});

describe('the store: images and traces', () => {
  it('sends to the named image and lists it afterwards', async () => {
    const store = createStore(inProcessClient());
    await store.getState().loadDevices();
    store.getState().setImage(' lab-disk ');
    expect(store.getState().target()).toBe('emu:flash-stick?image=lab-disk');
    await store.getState().send();
    expect(store.getState().outcome?.status).toBe(0);
    expect(store.getState().history[0]?.device).toBe('emu:flash-stick?image=lab-disk');
    await store.getState().loadImages();
    expect(store.getState().images.map((i) => i.name)).toEqual(['lab-disk']);
    // Picking another device forgets the image.
    store.getState().pickDevice('emu:spc2-bridge');
    expect(store.getState().target()).toBe('emu:spc2-bridge');
  });

  it('uploads a trace, lists it as replay:NAME and picks it', async () => {
    const store = createStore(inProcessClient());
    await store.getState().loadTrace(file('my run.jsonl', TRACE));
    expect(store.getState().devicesError).toBeUndefined();
    expect(store.getState().device).toBe('replay:my_run.jsonl');
    expect(store.getState().devices.find((d) => d.id === 'replay:my_run.jsonl')).toMatchObject({
      kind: 'replay',
      label: 'LAB disk',
    });
  });

  it('says why a trace was not loaded: too large, or not a trace', async () => {
    const store = createStore(inProcessClient());
    await store.getState().loadTrace(file('big.jsonl', '', MAX_TRACE_TEXT + 1));
    expect(store.getState().devicesError).toMatch(
      /big\.jsonl is 33554433 bytes; a trace is at most 32 MiB/,
    );
    await store.getState().loadTrace(file('t.jsonl', '{"usbcdbTrace":1,"device":{}}'));
    expect(store.getState().devicesError).toMatch(/t\.jsonl line 1: device\.id must be a string/);
  });
});
