// Coordinator sign-in: the server keeps the session in the tafel_session cookie.
// An account may have a second factor (TOTP): sign-in then needs its code.
import { request } from './http';

export interface Me {
  id: string;
  name: string;
  email: string;
  role: string;
  organisation: string;
  totpEnabled: boolean;
}

/** Signs in; without `code` an account with a second factor answers 401 `totp_required`. */
export const login = (email: string, password: string, code?: string) =>
  request<unknown>('POST', '/api/auth/login', code ? { email, password, code } : { email, password });
export const logout = () => request<unknown>('POST', '/api/auth/logout');
export const me = () => request<Me>('GET', '/api/auth/me');

/** Sign-in through the organisation's identity provider (a full page navigation). */
export const oidcStartURL = '/api/auth/oidc/start';

/** A new secret for the authenticator app; it counts only after enableTOTP with a code. */
export const setupTOTP = () => request<{ secret: string; url: string }>('POST', '/api/auth/totp/setup');
export const enableTOTP = (code: string) => request<unknown>('POST', '/api/auth/totp/enable', { code });
export const disableTOTP = (code: string) => request<unknown>('POST', '/api/auth/totp/disable', { code });
/** The secret being set up as a QR code (an SVG from our own server). */
export const totpQRURL = () => `/api/auth/totp/qr.svg?v=${Date.now()}`;
