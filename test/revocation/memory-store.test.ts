import { createMemoryRevocationStore } from '../../src/revocation/memory-revocation-store.ts';
import { storeContract } from './store-contract.ts';

storeContract('memory', (clock) => ({ store: createMemoryRevocationStore({ clock }) }));
