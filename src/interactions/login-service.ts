/** The request a sign-in attempt came with: its id and the client it signs in to. */
export interface SignInRequest {
  readonly requestId?: string | undefined;
  readonly clientId: string;
}

/** What the login form needs from the user store and the throttle, and nothing more. */
export interface LoginService {
  /**
   * Checks a username and password for a client address. `throttled` carries the seconds to
   * wait; `invalid` never says whether the username exists. `request` names the request and
   * the client signed in to, for the audit event of the attempt.
   */
  login(
    username: string,
    password: string,
    ip: string,
    request?: SignInRequest,
  ): Promise<{ outcome: 'ok'; accountId: string } | { outcome: 'invalid' } | { outcome: 'throttled'; retryAfter: number }>;
}
