/**
 * Zod without its compiled fast path, set before the first schema parses. The
 * app's Content-Security-Policy has no 'unsafe-eval', and zod 4 otherwise
 * probes `new Function` on its first object parse: the probe is refused and
 * swallowed, but the browser logs a CSP violation for it on every load. The
 * interpreted path validates the same way.
 */
import { z } from 'zod';

z.config({ jitless: true });
