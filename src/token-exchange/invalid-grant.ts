import { errors } from 'oidc-provider';

/** The engine's `invalid_grant`, with a description the client may read (the engine's default says only "grant request is invalid"). */
export function invalidGrant(description: string): InstanceType<typeof errors.InvalidGrant> {
  return Object.assign(new errors.InvalidGrant(), { error_description: description });
}
