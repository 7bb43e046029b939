/** The aggregate does not exist (STYLE 8: mapped to HTTP by the app's filter, never thrown as HTTP). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The command is not allowed in the aggregate's current state. */
export class IllegalStateError extends Error {
  override readonly name = 'IllegalStateError';
}
