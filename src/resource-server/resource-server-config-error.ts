/** Bad options given to the kit. `problems` lists every one found, each naming its option. */
export class ResourceServerConfigError extends Error {
  readonly code = 'ERR_TESSERA_RESOURCE_SERVER_CONFIG';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`the resource-server kit cannot start; fix these options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ResourceServerConfigError';
    this.problems = problems;
  }
}
