/** The stream was not at the expected version: another writer got there first. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number | 'any',
    readonly actualVersion?: number,
  ) {
    super(
      `stream ${streamId}: expected version ${expectedVersion}` +
        (actualVersion === undefined ? '' : `, found ${actualVersion}`),
    );
  }
}

/** An event id was reused for a different event. */
export class DuplicateEventError extends Error {
  override readonly name = 'DuplicateEventError';
  constructor(readonly eventId: string) {
    super(`event ${eventId} already exists with different content or stream`);
  }
}

/** The aggregate does not exist (STYLE 8: mapped to HTTP by the app's filter, never thrown as HTTP). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The command is not allowed in the aggregate's current state. */
export class IllegalStateError extends Error {
  override readonly name = 'IllegalStateError';
}
