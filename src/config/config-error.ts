/** A bad or missing setting. `problems` lists every one found, each naming its setting. */
export class ConfigError extends Error {
  readonly code = 'ERR_TESSERA_CONFIG';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Tessera cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
