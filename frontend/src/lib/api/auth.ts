// Coordinator sign-in: the server keeps the session in the tafel_session cookie.
import { request } from './http';

export interface Me {
  id: string;
  name: string;
  email: string;
  role: string;
  organisation: string;
}

export const login = (email: string, password: string) => request<unknown>('POST', '/api/auth/login', { email, password });
export const logout = () => request<unknown>('POST', '/api/auth/logout');
export const me = () => request<Me>('GET', '/api/auth/me');
