/** A client the operator tried to store is not valid; `problems` name every field. */
export class ClientMetadataError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'ClientMetadataError';
    this.problems = problems;
  }
}

/** The client_id is taken: by a stored client or a static client of CONFIG_FILE. */
export class ClientConflictError extends ClientMetadataError {
  constructor(problem: string) {
    super([problem]);
    this.name = 'ClientConflictError';
  }
}

/** The client named is not stored (or is a static client, which cannot be changed at run time). */
export class ClientNotFoundError extends Error {
  constructor(clientId: string) {
    super(`no client ${clientId} in Redis`);
    this.name = 'ClientNotFoundError';
  }
}
