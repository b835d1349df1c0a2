import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

import type { FleetStatus } from './fleet-roll-call.ts';

/**
 * `tessera_fleet_instances` and `tessera_fleet_mismatched_instances`, from the fleet roll call's
 * last answer (src/observability/fleet-roll-call.ts) at each scrape: instances on this Redis, this
 * one included, and those whose configuration or keys fingerprint differs from this one's.
 */
export function fleetMetrics(registry: Registry, status: () => FleetStatus): void {
  new Gauge({
    name: 'tessera_fleet_instances',
    help: 'Instances that answered the fleet roll call on this Redis lately, this one included.',
    registers: [registry],
    collect() {
      this.set(status().instances);
    },
  });
  new Gauge({
    name: 'tessera_fleet_mismatched_instances',
    help: "Other instances whose shared configuration or keys differ from this one's.",
    registers: [registry],
    collect() {
      this.set(status().mismatched.length);
    },
  });
}
