// First run: create the first organisation and admin with the one-time setup token.
import { request } from './http';

export interface SetupInput {
  token: string;
  organisation: string;
  name: string;
  email: string;
  password: string;
}

/** Whether the first account is still to be made, and whether sign-in through the organisation (OIDC) is on. */
export const setupNeeded = () => request<{ needed: boolean; oidc: boolean }>('GET', '/api/setup');
export const runSetup = (input: SetupInput) => request<unknown>('POST', '/api/setup', input);
