/** WRITE BUFFER and READ BUFFER(10) (SPC-5) on the drive's data buffer and microcode machinery. */
import type { BufferField } from '../write-buffer';
import { readBuffer, writeBuffer } from '../write-buffer';
import type { Handler } from './context';

export const writeBufferHandler: Handler<'WRITE BUFFER'> = (lu, ctx) => {
  const key = (f: BufferField): 'mode' | 'bufferId' | 'bufferOffset' | 'parameterListLength' =>
    f === 'length' ? 'parameterListLength' : f;
  return Promise.resolve(
    writeBuffer(
      lu,
      {
        mode: ctx.get('mode'),
        bufferId: ctx.get('bufferId'),
        offset: ctx.get('bufferOffset'),
        invalid: (f) => ctx.invalid(key(f)),
      },
      ctx.dataOut,
    ),
  );
};

export const readBufferHandler: Handler<'READ BUFFER(10)'> = (lu, ctx) => {
  const key = (f: BufferField): 'mode' | 'bufferId' | 'bufferOffset' | 'allocationLength' =>
    f === 'length' ? 'allocationLength' : f;
  return Promise.resolve(
    readBuffer(
      lu,
      {
        mode: ctx.get('mode'),
        bufferId: ctx.get('bufferId'),
        offset: ctx.get('bufferOffset'),
        invalid: (f) => ctx.invalid(key(f)),
      },
      ctx.get('allocationLength'),
    ),
  );
};
