import { fileKeyStore } from '../../src/keys/file-key-store.ts';
import { tempDir } from '../support/tessera.ts';
import { keyStoreContract } from './support/key-store-contract.ts';

keyStoreContract('CERTS_DIR', async () => {
  const dir = tempDir('tessera-key-store-');
  return { store: fileKeyStore({ dir }), other: fileKeyStore({ dir }), close: async () => undefined };
});
