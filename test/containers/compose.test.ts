import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from '../support/tessera.ts';

const HINT = 'docker-compose is not installed (Debian: apt-get install -y docker-compose); it validates docker-compose.yml without a Docker engine';

test('docker-compose.yml is valid and runs two instances sharing Redis and certs behind a load balancer', () => {
  const probe = spawnSync('docker-compose', ['version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new Error(HINT);
  const rendered = execFileSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  for (const service of ['redis:', 'tessera-1:', 'tessera-2:', 'lb:', 'resource-server:']) expect(rendered).toContain(`  ${service}`);
  expect(rendered).toContain('--appendonly');
  expect(rendered.match(/REDIS_URL: redis:\/\/redis:6379/g)).toHaveLength(2);
  expect(rendered.match(/- certs:\/certs/g)?.length).toBeGreaterThanOrEqual(3);
  const nginx = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8');
  expect(nginx).toContain('server tessera-1:3000;');
  expect(nginx).toContain('server tessera-2:3000;');
});

test('the Dockerfile is multi-stage on node:24-slim and runs as a non-root user', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  expect(dockerfile.match(/^FROM node:24-slim AS \w+$/gm)).toHaveLength(2);
  expect(dockerfile).toMatch(/^USER node$/m);
  expect(dockerfile).toMatch(/^CMD \["node", "src\/main.ts"\]$/m);
});
