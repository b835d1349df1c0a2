// Fenced: the engine's access tokens carry a `grantId`, and its typings ask for one. An access
// token that belongs to no grant of the engine is given an empty one: the engine treats a falsy
// `grantId` as none (its introspection endpoint then skips the Grant lookup). This is behaviour,
// not a promise. test/engine/no-grant.test.ts guards the seam.

/** The `grantId` of an access token that belongs to no grant of the engine. */
export const NO_GRANT = '';
