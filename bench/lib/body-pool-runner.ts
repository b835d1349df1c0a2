// Runs autocannon against one URL with POST bodies taken in turn from a pool (one shared turn
// for all connections, starting at `start`), so that each body is sent once per pass over the
// pool; with `bearer`, each pool entry is a token sent as `Authorization: Bearer` in a GET instead.
// Reads its plan from the JSON file named by argv[2]; prints autocannon's result as JSON, with
// `next`: where the next run should start so that it sends none of this run's entries again.
import { readFileSync } from 'node:fs';

import autocannon from 'autocannon';

interface Plan {
  url: string;
  seconds: number;
  connections: number;
  headers: Record<string, string>;
  bodies: string[];
  start: number;
  bearer?: boolean;
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Plan;
let turn = plan.start;
const result = await autocannon({
  url: plan.url,
  connections: plan.connections,
  duration: plan.seconds,
  requests: [
    plan.bearer
      ? {
          method: 'GET',
          setupRequest: (request: Record<string, unknown>) => ({
            ...request,
            headers: { ...plan.headers, authorization: `Bearer ${plan.bodies[turn++ % plan.bodies.length]}` },
          }),
        }
      : {
          method: 'POST',
          headers: plan.headers,
          setupRequest: (request: Record<string, unknown>) => ({ ...request, body: plan.bodies[turn++ % plan.bodies.length] }),
        },
  ],
});
process.stdout.write(JSON.stringify(Object.assign(result as object, { next: turn })));
