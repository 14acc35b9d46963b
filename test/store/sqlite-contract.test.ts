import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { readAuditKey } from '../../src/store/store-files.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { describeStoreContract } from './contract.js';

const tempDir = useTempDir();

describeStoreContract('SQLite', {
  open: () => new SqliteStore(join(tempDir(), 'store.db'), { clock: () => 1_700_000_000_000 }),
  async reopen(store) {
    await store.close();
    return new SqliteStore(store.path);
  },
  auditKey: (store) => readAuditKey(store.path)!,
});
