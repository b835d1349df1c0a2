import { memoryAdapter } from '../../src/provider/memory-adapter.ts';
import { adapterContract } from './contract.ts';

const adapter = memoryAdapter();
adapterContract('in-memory (development)', () => ({ adapter }));
