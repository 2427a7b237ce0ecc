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
  /**
   * Not while the person types in another panel's text box (Diagnose, Presets): Ctrl+Enter there
   * belongs to that box, and must not send the editor's command, a WRITE perhaps, instead.
   */
  readonly notWhileTypingElsewhere?: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    action: 'send',
    label: 'Ctrl+Enter',
    code: 'Enter',
    mod: true,
    description: 'send',
    notWhileTypingElsewhere: true,
  },
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
  /** Focus is in a text box outside the CDB editor. */
  readonly typingElsewhere?: boolean;
}

export function shortcutFor(e: KeyLike): KeyAction | undefined {
  const mod = e.ctrlKey || e.metaKey;
  return SHORTCUTS.find(
    (s) =>
      s.code === e.code &&
      (s.mod ?? false) === mod &&
      (s.alt ?? false) === e.altKey &&
      !(s.notWhileTypingElsewhere && e.typingElsewhere),
  )?.action;
}

/** Controls a person types text into; radio buttons, checkboxes and buttons are not. */
const NOT_TEXT = new Set([
  'button',
  'checkbox',
  'radio',
  'submit',
  'reset',
  'file',
  'range',
  'color',
]);

/**
 * Marks a region whose text boxes are its own wherever it sits, the editor included: a hex view's
 * search and go-to boxes (the data-out view is in the editor) find and go, they do not send.
 */
export const OWN_TEXT_BOXES = 'data-own-text-boxes';

/**
 * Whether `active` is a text box (an input, a textarea, an editable element) outside `editor`,
 * the panel whose command the send shortcut sends, or in a region of its own (OWN_TEXT_BOXES).
 */
export function isTypingElsewhere(active: Element | null, editor: Element | null): boolean {
  if (!active) return false;
  if (editor && editor.contains(active) && !active.closest(`[${OWN_TEXT_BOXES}]`)) return false;
  if (active instanceof HTMLTextAreaElement) return true;
  if (active instanceof HTMLInputElement) return !NOT_TEXT.has(active.type);
  return active instanceof HTMLElement && active.isContentEditable;
}

/** The element to focus when moving `step` fields from `current` among `fields` (wrapping). */
export function stepFocus<T>(fields: readonly T[], current: T | null, step: 1 | -1): T | undefined {
  if (fields.length === 0) return undefined;
  const i = current === null ? -1 : fields.indexOf(current);
  if (i < 0) return step === 1 ? fields[0] : fields[fields.length - 1];
  return fields[(i + step + fields.length) % fields.length];
}
