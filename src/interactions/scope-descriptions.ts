const DESCRIPTIONS: Record<string, string> = {
  openid: 'Sign you in with your account',
  profile: 'See your name and username',
  email: 'See your email address',
  offline_access: 'Stay signed in to keep working when you are away',
  'api:read': 'Read your data',
  'api:write': 'Change your data',
};

/** The scope in plain words for the consent page; unknown scopes are shown by name. */
export function describeScope(scope: string): string {
  return DESCRIPTIONS[scope] ?? `Use “${scope}”`;
}
