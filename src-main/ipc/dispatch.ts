/**
 * One request in, one reply out, whatever the adapter: the envelope and the
 * payload are validated, the handler runs, its answer is validated too, and
 * every failure — bad input, a handler error, a bug — becomes an error reply.
 */
import { parseEnvelope, parseRequest, parseResponse, type Reply } from '../../shared/ipc/contract';
import { HandlerError, type Handlers } from './handlers';
import { errorText } from '../../shared/error-text';

export async function dispatch(handlers: Handlers, raw: unknown): Promise<Reply> {
  const env = parseEnvelope(raw);
  if (!env.ok)
    return { id: env.id, ok: false, error: { code: 'bad-message', message: env.message } };
  const { id, channel, payload } = env.value;
  // Validation sits inside the try too: whatever a validator throws on hostile
  // input, the request still gets a reply.
  try {
    const req = parseRequest(channel, payload);
    if (!req.ok) return { id, ok: false, error: { code: 'bad-request', message: req.message } };
    const handler = handlers[channel] as (r: unknown) => Promise<unknown>;
    const value = await handler(req.value);
    const checked = parseResponse(channel, value);
    if (!checked.ok)
      return { id, ok: false, error: { code: 'internal', message: checked.message } };
    return { id, ok: true, value: checked.value };
  } catch (e) {
    if (e instanceof HandlerError)
      return { id, ok: false, error: { code: e.code, message: e.message } };
    return {
      id,
      ok: false,
      error: {
        code: 'internal',
        message: `${channel} failed: ${errorText(e)}`,
      },
    };
  }
}
