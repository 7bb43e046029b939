export { defaultSigningKeySettings, type SigningKeySettings } from '@tessera/keys';

/** Injection token of the token service's SigningKeySettings. */
export const SIGNING_KEY_SETTINGS = Symbol('tessera:signing-key-settings');
