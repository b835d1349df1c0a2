import { relativeImports, sourceFiles } from '../support/source-imports.ts';

/**
 * One layer of Tessera: its units (folders, or single files), and `files` that form one unit
 * together (files carved out of a folder whose rest lies lower, or the composition root's).
 */
export interface Layer {
  readonly name: string;
  readonly units?: readonly string[];
  readonly files?: readonly string[];
  /** The units of this layer import nothing outside themselves. */
  readonly alone?: boolean;
}

/**
 * The layers of src/ and adapters/, lowest first. A module may import its own unit and any unit
 * of a lower layer; never a unit of its own layer or of a higher one. A path belongs to the
 * longest unit that contains it.
 */
export const LAYERS: readonly Layer[] = [
  // What other instances import, and the engine's storage on ioredis: neither knows the rest of Tessera.
  { name: 'resource-server kit', units: ['src/resource-server'], alone: true },
  { name: 'Redis adapter', units: ['adapters/redis'], alone: true },
  // Helpers that know nothing of Tessera (a bounded cache): every layer may use them.
  { name: 'support', units: ['src/support'] },
  { name: 'config', units: ['src/config', 'src/types'] },
  // Logger, metrics and tracing: every layer above reports through them.
  { name: 'observability', units: ['src/observability'] },
  { name: 'keys and accounts', units: ['src/keys', 'src/accounts'] },
  // The metrics of the key set in use, and the fingerprint the fleet compares, read what src/keys loads.
  {
    name: 'observability of keys and fleet',
    files: [
      'src/observability/key-metrics.ts',
      'src/observability/config-fingerprint.ts',
      'src/observability/fleet-roll-call.ts',
      'src/observability/fingerprint-audit.ts',
      'src/observability/fleet-metrics.ts',
      'src/observability/metrics-kit.ts',
      'src/observability/audit-keys.ts',
    ],
  },
  { name: 'revocation', units: ['src/revocation'] },
  // The engine seams the token exchange's grant stands on; the rest of src/provider/engine sits with the provider.
  { name: 'engine seams of the grant', files: ['src/provider/engine/no-grant.ts', 'src/provider/engine/grant-type-allowed.ts'] },
  { name: 'token exchange', units: ['src/token-exchange'] },
  { name: 'provider', units: ['src/provider'] },
  { name: 'http', units: ['src/http'] },
  { name: 'surfaces', units: ['src/interactions', 'src/admin', 'src/demo', 'src/server.ts'] },
  // What wires everything together: the server's composition root, and the CLI.
  { name: 'composition', files: ['src/main.ts', 'src/open-storage.ts', 'src/open-signing-keys.ts', 'src/surface-routes.ts'], units: ['src/cli'] },
];

const SCANNED_DIRS = ['src', 'adapters'];

function unitOf(path: string): { unit: string; rank: number; layer: Layer } | undefined {
  // A file carved out of a folder belongs to its layer, not to the folder's.
  const carved = LAYERS.findIndex((layer) => layer.files?.includes(path));
  if (carved >= 0) return { unit: LAYERS[carved]!.name, rank: carved, layer: LAYERS[carved]! };
  let found: { unit: string; rank: number; layer: Layer } | undefined;
  LAYERS.forEach((layer, rank) => {
    for (const unit of layer.units ?? []) {
      const inside = path === unit || path.startsWith(`${unit}/`);
      if (inside && (!found || unit.length > found.unit.length)) found = { unit, rank, layer };
    }
  });
  return found;
}

/**
 * Every import in src/ and adapters/ that points up or sideways in {@link LAYERS}, and every
 * module that no layer holds. Returns the files scanned and one line per violation.
 */
export function findLayerViolations(root: string): { scanned: string[]; violations: string[] } {
  const scanned = SCANNED_DIRS.flatMap((dir) => sourceFiles(root, `${root}/${dir}`));
  const violations: string[] = [];
  for (const file of scanned) {
    const from = unitOf(file);
    if (!from) {
      violations.push(`${file} is in no layer`);
      continue;
    }
    for (const target of relativeImports(root, file)) {
      const to = unitOf(target);
      if (to?.unit === from.unit) continue;
      if (!to) {
        if (!from.layer.alone) violations.push(`${file} imports ${target}, which is in no layer`);
        else violations.push(`${file} (${from.layer.name}) imports ${target}`);
      } else if (from.layer.alone || to.rank >= from.rank) {
        violations.push(`${file} (${from.layer.name}) imports ${target} (${to.layer.name})`);
      }
    }
  }
  return { scanned, violations };
}
