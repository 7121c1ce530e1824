// Families (a pseudonymous label, e.g. "Gezin J.") of the coordinator's organisation.
import { request } from './http';

export interface Family {
  id: string;
  label: string;
}

export const listFamilies = () => request<Family[] | null>('GET', '/api/families').then((f) => f ?? []);
export const createFamily = (label: string) => request<Family>('POST', '/api/families', { label });
