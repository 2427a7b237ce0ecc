/**
 * The app's keyboard shortcuts, declared once: the window's key handler
 * looks actions up here and the header lists them from the same table.
 */
export type KeyAction = 'send' | 'nextField' | 'previousField' | 'focusHex';

export interface Shortcut {
  readonly action: KeyAction;
  /** As shown to the user. */
  readonly label: string;
  /** KeyboardEvent.code: the physical key, so Alt+letter works on macOS too (where Alt changes e.key). */
  readonly code: string;
  /** Ctrl on Linux and Windows, Cmd on macOS. */
  readonly mod?: boolean;
  readonly alt?: boolean;
  readonly description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'send', label: 'Ctrl+Enter', code: 'Enter', mod: true, description: 'send' },
  {
    action: 'nextField',
    label: 'Alt+↓',
    code: 'ArrowDown',
    alt: true,
    description: 'next field',
  },
  {
    action: 'previousField',
    label: 'Alt+↑',
    code: 'ArrowUp',
    alt: true,
    description: 'previous field',
  },
  {
    action: 'focusHex',
    label: 'Alt+X',
    code: 'KeyX',
    alt: true,
    description: 'focus the hex view',
  },
];

export interface KeyLike {
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
}

export function shortcutFor(e: KeyLike): KeyAction | undefined {
  const mod = e.ctrlKey || e.metaKey;
  return SHORTCUTS.find(
    (s) => s.code === e.code && (s.mod ?? false) === mod && (s.alt ?? false) === e.altKey,
  )?.action;
}

/** The element to focus when moving `step` fields from `current` among `fields` (wrapping). */
export function stepFocus<T>(fields: readonly T[], current: T | null, step: 1 | -1): T | undefined {
  if (fields.length === 0) return undefined;
  const i = current === null ? -1 : fields.indexOf(current);
  if (i < 0) return step === 1 ? fields[0] : fields[fields.length - 1];
  return fields[(i + step + fields.length) % fields.length];
}
