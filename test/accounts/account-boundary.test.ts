import { writeSourceTree } from '../support/source-imports.ts';
import { ROOT, tempDir } from '../support/tessera.ts';
import { findBoundaryViolations } from './account-boundary.ts';

test('no module outside src/accounts reads account records or password hashes', () => {
  const { scanned, violations } = findBoundaryViolations(ROOT);
  expect(scanned).toEqual(expect.arrayContaining(['bin/tessera.js', 'src/main.ts', 'src/cli/users-command.ts', 'src/cli/run-cli.ts']));
  expect(scanned.filter((file) => file.startsWith('src/accounts/'))).toEqual([]);
  expect(violations).toEqual([]);
});

test('the scan catches private imports, the factory in the wrong place, and the key and field names', () => {
  const root = tempDir();
  const files: Record<string, string> = {
    'src/accounts/redis-user-store.ts': "import { createPasswordHasher } from './password-hasher.ts';",
    'src/main.ts': "import { createRedisUserStore } from './accounts/redis-user-store.ts';",
    'src/cli/users-command.ts':
      "import { createRedisUserStore } from '../accounts/redis-user-store.ts';\nimport type { UserStore } from '../accounts/user-store.ts';",
    'src/provider/create-provider.ts':
      "import { createFindAccount } from '../accounts/find-account.ts';\nimport { SCOPE_CLAIMS } from '../accounts/account-claims.ts';",
    'src/interactions/login.ts':
      "import { createLoginThrottle } from '../accounts/login-throttle.ts';\nimport {\n  createRedisUserStore,\n} from '../accounts/redis-user-store.ts';",
    'src/server.ts': "import type { PasswordHasher } from './accounts/password-hasher.ts';\nconst keys = await import('./accounts/account-keys.ts');",
    'src/cli/clients-command.ts': "export { accountKeys } from '../accounts/account-keys.ts';",
    'adapters/redis/keys.ts': 'export const users = (prefix: string) => prefix + "{accounts}:usernames";',
    'bin/peek.js': "const { fromFields } = require('../src/accounts/account-record.ts');\nconsole.log(record.password_hash);",
    'src/observability/logger.ts': "import { createLogger } from './log.ts';\nimport { z } from 'zod';",
  };
  writeSourceTree(root, files);
  expect(findBoundaryViolations(root).violations.sort()).toEqual([
    'adapters/redis/keys.ts contains {accounts}',
    'bin/peek.js contains password_hash',
    'bin/peek.js imports src/accounts/account-record.ts',
    'src/cli/clients-command.ts contains accountKeys',
    'src/cli/clients-command.ts imports src/accounts/account-keys.ts',
    'src/interactions/login.ts imports src/accounts/redis-user-store.ts',
    'src/server.ts imports src/accounts/account-keys.ts',
    'src/server.ts imports src/accounts/password-hasher.ts',
  ]);
});
