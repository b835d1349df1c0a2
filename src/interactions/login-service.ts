/** What the login form needs from the user store and the throttle, and nothing more. */
export interface LoginService {
  /**
   * Checks a username and password for a client address. `throttled` carries the seconds to
   * wait; `invalid` never says whether the username exists.
   */
  login(username: string, password: string, ip: string): Promise<
    { outcome: 'ok'; accountId: string } | { outcome: 'invalid' } | { outcome: 'throttled'; retryAfter: number }
  >;
}
