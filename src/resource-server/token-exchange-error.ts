/**
 * A token exchange failed. `error` is the OAuth error code Tessera answered (`invalid_grant`,
 * `invalid_target`, `invalid_scope`, `unauthorized_client`, `invalid_client`, …), or
 * `temporarily_unavailable` when Tessera could not be reached or answered no OAuth error;
 * `status` is the HTTP status of the answer, if there was one. `cause` never reaches a response.
 */
export class TokenExchangeError extends Error {
  readonly code = 'ERR_TOKEN_EXCHANGE';
  readonly error: string;
  readonly error_description: string | undefined;
  readonly status: number | undefined;

  constructor(error: string, description: string | undefined, status: number | undefined, options: { cause?: unknown } = {}) {
    super(description ? `${error}: ${description}` : error, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenExchangeError';
    this.error = error;
    this.error_description = description;
    this.status = status;
  }
}
