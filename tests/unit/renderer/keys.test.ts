// @vitest-environment happy-dom
/** The app's shortcuts: which key does what, and Ctrl+Enter kept for the text box that has focus elsewhere. */
import { afterEach, describe, expect, it } from 'vitest';
import { isTypingElsewhere, shortcutFor, stepFocus } from '../../../src-renderer/keys';

const key = (code: string, mods: { ctrl?: boolean; meta?: boolean; alt?: boolean } = {}) => ({
  code,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  altKey: mods.alt ?? false,
});

afterEach(() => {
  document.body.innerHTML = '';
});

describe('shortcutFor', () => {
  it('maps Ctrl+Enter or Cmd+Enter to send, Alt+arrows to the fields, Alt+X to the hex view', () => {
    expect(shortcutFor(key('Enter', { ctrl: true }))).toBe('send');
    expect(shortcutFor(key('Enter', { meta: true }))).toBe('send');
    expect(shortcutFor(key('ArrowDown', { alt: true }))).toBe('nextField');
    expect(shortcutFor(key('ArrowUp', { alt: true }))).toBe('previousField');
    expect(shortcutFor(key('KeyX', { alt: true }))).toBe('focusHex');
    expect(shortcutFor(key('Enter'))).toBeUndefined();
    expect(shortcutFor(key('Enter', { ctrl: true, alt: true }))).toBeUndefined();
  });

  it('does not send while the person types in another panel’s text box; the other shortcuts still work', () => {
    expect(shortcutFor({ ...key('Enter', { ctrl: true }), typingElsewhere: true })).toBeUndefined();
    expect(shortcutFor({ ...key('ArrowDown', { alt: true }), typingElsewhere: true })).toBe(
      'nextField',
    );
  });
});

describe('isTypingElsewhere', () => {
  it('is true for a text box, a textarea or an editable element outside the editor or in a region of its own, false for the editor’s or for buttons', () => {
    document.body.innerHTML = `
      <section class="editor"><input id="field"><textarea id="data"></textarea>
      <div data-own-text-boxes><input id="find"><button id="next">Next</button></div></section>
      <form><input id="name"><input id="radio" type="radio"><textarea id="cdb"></textarea>
      <button id="go">Go</button><div id="edit" contenteditable="true"></div></form>`;
    const editor = document.querySelector('section.editor');
    const at = (id: string) => document.getElementById(id);
    expect(isTypingElsewhere(at('field'), editor)).toBe(false);
    expect(isTypingElsewhere(at('data'), editor)).toBe(false);
    expect(isTypingElsewhere(at('name'), editor)).toBe(true);
    // A hex view's search box in the editor is its own, not the command's.
    expect(isTypingElsewhere(at('find'), editor)).toBe(true);
    expect(isTypingElsewhere(at('next'), editor)).toBe(false);
    expect(isTypingElsewhere(at('cdb'), editor)).toBe(true);
    expect(isTypingElsewhere(at('radio'), editor)).toBe(false);
    expect(isTypingElsewhere(at('go'), editor)).toBe(false);
    expect(isTypingElsewhere(document.body, editor)).toBe(false);
    expect(isTypingElsewhere(null, editor)).toBe(false);
  });
});

describe('stepFocus', () => {
  it('moves to the next or previous field, wrapping, and starts at an end when focus is elsewhere', () => {
    const fields = ['a', 'b', 'c'];
    expect(stepFocus(fields, 'a', 1)).toBe('b');
    expect(stepFocus(fields, 'c', 1)).toBe('a');
    expect(stepFocus(fields, 'a', -1)).toBe('c');
    expect(stepFocus(fields, null, 1)).toBe('a');
    expect(stepFocus(fields, 'x', -1)).toBe('c');
    expect(stepFocus([], 'a', 1)).toBeUndefined();
  });
});
