/** Injection token of the introspection service's SigningKeys (owner and schema `introspection`). */
export const INTROSPECTION_SIGNING_KEYS = Symbol('tessera:introspection-signing-keys');

/** Injection token of the introspection service's SigningKeySettings. */
export const INTROSPECTION_KEY_SETTINGS = Symbol('tessera:introspection-key-settings');
