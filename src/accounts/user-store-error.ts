/** Stable codes of the errors a UserStore throws. */
export type UserStoreErrorCode = 'username_taken' | 'account_not_found' | 'invalid_input' | 'revision_mismatch';

/**
 * An error of the user store. `code` is stable and meant for programs; `message` is meant for
 * operators (for example `user alice already exists`) and never holds a password or a hash.
 */
export class UserStoreError extends Error {
  readonly code: UserStoreErrorCode;

  constructor(code: UserStoreErrorCode, message: string) {
    super(message);
    this.name = 'UserStoreError';
    this.code = code;
  }
}
