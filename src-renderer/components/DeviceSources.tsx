/**
 * Where an emulated drive keeps its blocks and where a replay comes from,
 * chosen in the device picker. Both are names, never paths: an image is a
 * file in usbcdb's data folder (images/), a trace is uploaded as its text.
 */
import type { ChangeEvent } from 'react';
import { takePickedFile } from '../picked-file';
import type { Use } from '../store/store';

export function DriveImage({ use }: { use: Use }) {
  const image = use((s) => s.image);
  const images = use((s) => s.images);
  const setImage = use((s) => s.setImage);
  return (
    <label className="drive-image">
      Image{' '}
      <input
        aria-label="drive image"
        list="drive-images"
        placeholder="in memory"
        value={image}
        onChange={(e) => setImage(e.target.value)}
      />
      <datalist id="drive-images">
        {images.map((i) => (
          <option key={i.name} value={i.name}>
            {`${i.name} (${i.bytes} bytes)`}
          </option>
        ))}
      </datalist>
      <span className="detail">
        a name in usbcdb&apos;s data folder (images/); empty keeps the drive in memory
      </span>
    </label>
  );
}

export function TraceLoader({ use }: { use: Use }) {
  const loadTrace = use((s) => s.loadTrace);
  const onFile = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = takePickedFile(e.target);
    if (file) void loadTrace(file);
  };
  return (
    <label className="trace-loader">
      Open trace…{' '}
      <input type="file" aria-label="open trace" accept=".jsonl,.json,.txt" onChange={onFile} />
    </label>
  );
}
