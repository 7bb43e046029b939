/** RFC 8707 §2: a resource indicator is an absolute URI and must not include a fragment. */
export function isResourceIdentifier(value: string): boolean {
  if (value.includes('#')) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
