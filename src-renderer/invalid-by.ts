/**
 * aria-invalid and the links to the findings (and errors) with these ids, for
 * the control they concern: described by all of them, its error message the
 * first (screen readers take one id there); nothing when there are none.
 */
export function invalidBy(ids: readonly string[]) {
  const [first] = ids;
  if (first === undefined) return {};
  return {
    'aria-invalid': true,
    'aria-describedby': ids.join(' '),
    'aria-errormessage': first,
  } as const;
}
