// The accounts of the admin's organisation: list, add (with a one-time link), remove.
import { request } from './http';

export type AccountRole = 'admin' | 'coordinator';

export interface Account {
  id: string;
  email: string;
  name: string;
  role: AccountRole;
  totpEnabled: boolean;
  /** Has chosen a password (or signed in through the organisation). */
  active: boolean;
}

export const listUsers = () => request<Account[] | null>('GET', '/api/users').then((u) => u ?? []);
/** Returns the one-time link, valid one hour, where the new account chooses a password. */
export const createUser = (email: string, name: string, role: AccountRole) =>
  request<{ id: string; setupUrl: string }>('POST', '/api/users', { email, name, role });
export const deleteUser = (id: string) => request<unknown>('DELETE', `/api/users/${encodeURIComponent(id)}`);
