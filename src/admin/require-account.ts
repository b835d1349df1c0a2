import type { UserStore } from '../accounts/user-store.ts';
import { AdminProblem } from './problem.ts';

/** Throws the 404 problem of an unknown account id. */
export async function requireAccount(users: UserStore, id: string): Promise<void> {
  if (!(await users.findById(id))) throw new AdminProblem(404, `no account with id ${id}`);
}
