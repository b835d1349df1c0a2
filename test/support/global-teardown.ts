/** Stops the redis-server that global-setup started, if it started one. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__TESSERA_REDIS__?.stop();
}
