import { InMemoryStudyStore } from '../../../src/engine/optimizer/store.js';
import { limitContract, storeContract } from './store-contract.js';

storeContract('in-memory', async () => {
  const store = new InMemoryStudyStore();
  return { store, reopen: async () => store };
});

limitContract('in-memory', async () => {
  const store = new InMemoryStudyStore();
  return { store, reopen: async () => store };
});
