import { generateKeyFile } from '../../src/keys/generate-key.ts';
import { rebuildOnKeyChange } from '../../src/keys/rebuild-on-key-change.ts';
import { loadKeys } from '../../src/keys/load-keys.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { tempDir } from '../support/tessera.ts';

test('a reload asked for while another runs happens after it, and is logged under its own reason', async () => {
  const dir = tempDir('tessera-certs-');
  generateKeyFile(dir, 'ES256', 'signing');
  const initial = await loadKeys({ dir });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let loads = 0;
  const lines: { event: string; reason: string }[] = [];
  const live = rebuildOnKeyChange({
    initial,
    // The first load waits until the test lets it go, so the second reload is asked for while it runs.
    load: async () => {
      if (loads++ === 0) await gate;
      return loadKeys({ dir });
    },
    build: (keys) => keys.keys.length,
    logger: createLogger('info', {
      write: (line: string) => {
        lines.push(JSON.parse(line) as { event: string; reason: string });
      },
    }),
  });
  const changed = live.reload('CERTS_DIR changed');
  const hangup = live.reload('SIGHUP');
  expect(loads).toBe(1);
  release();
  await Promise.all([changed, hangup]);
  expect(loads).toBe(2);
  expect(lines.map((l) => [l.event, l.reason])).toEqual([
    ['keys.unchanged', 'CERTS_DIR changed'],
    ['keys.unchanged', 'SIGHUP'],
  ]);
});
