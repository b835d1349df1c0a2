import type { Provider } from 'oidc-provider';

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * Records the user's consent: the existing grant of this session and client, or a new one,
 * gains exactly the scopes, claims and resource scopes the engine reports as missing.
 */
export async function finishConsent(provider: Provider, details: InteractionDetails): Promise<{ grantId?: string }> {
  const {
    prompt: { details: missing },
    params,
    session,
  } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session?.accountId ?? '', clientId: String(params.client_id) });
  if (!grant) throw new Error('the grant of this interaction no longer exists');
  const scopes = missing.missingOIDCScope as string[] | undefined;
  if (scopes?.length) grant.addOIDCScope(scopes.join(' '));
  const claims = missing.missingOIDCClaims as string[] | undefined;
  if (claims?.length) grant.addOIDCClaims(claims);
  for (const [indicator, resourceScopes] of Object.entries((missing.missingResourceScopes as Record<string, string[]> | undefined) ?? {})) {
    grant.addResourceScope(indicator, resourceScopes.join(' '));
  }
  const grantId = await grant.save();
  return details.grantId ? {} : { grantId };
}
