/**
 * Redis could not be reached: an OAuth `temporarily_unavailable` error (HTTP 503) that the
 * engine and the server expose as `{ error, error_description }`, never the cause.
 */
export class StorageUnavailableError extends Error {
  readonly error = 'temporarily_unavailable';
  readonly error_description = 'the authorization server cannot reach its storage; try again shortly';
  readonly status = 503;
  readonly statusCode = 503;
  readonly expose = true;

  constructor(cause: unknown) {
    super('temporarily_unavailable', { cause });
    this.name = 'StorageUnavailableError';
  }
}
