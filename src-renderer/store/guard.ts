/**
 * One way for a slice's async actions to fail: whatever an action throws or
 * rejects with becomes that slice's error text, so no IPC failure is ever an
 * unhandled rejection and every failure lands where its panel shows it.
 */
import { errorText } from '../../shared/error-text';

/**
 * Wraps a slice's async actions: `guarded(action)` resolves once the action
 * has settled, never rejects, and hands a failure's words to `fail`.
 * @param fail writes the message into the slice's error field
 */
export function guardWith(
  fail: (message: string) => void,
): <A extends unknown[], R>(
  action: (...args: A) => Promise<R>,
) => (...args: A) => Promise<R | undefined> {
  return (action) =>
    async (...args) => {
      try {
        return await action(...args);
      } catch (e) {
        fail(errorText(e));
        return undefined;
      }
    };
}
