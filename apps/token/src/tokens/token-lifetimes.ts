/** Access token lifetime: short, since a JWT cannot be recalled from resource servers that cache nothing. */
export const ACCESS_TOKEN_TTL_SECONDS = 900;
/** Absolute lifetime of a refresh family (rotation does not extend it). */
export const REFRESH_FAMILY_TTL_SECONDS = 30 * 24 * 3600;
