import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { type Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';

/** argon2id cost parameters. */
export interface PasswordHashParams {
  /** KiB of memory. */
  memoryCost: number;
  /** Passes. */
  timeCost: number;
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet, argon2id: m=19456 KiB (19 MiB), t=2, p=1. */
export const OWASP_ARGON2ID: PasswordHashParams = Object.freeze({ memoryCost: 19456, timeCost: 2, parallelism: 1 });

/** Injection token to override the parameters (tests of rehash); defaults to OWASP_ARGON2ID. */
export const PASSWORD_HASH_PARAMS = Symbol('tessera:password-hash-params');

// `Algorithm` is a const enum the package does not export at run time: Argon2id is 2.
const ARGON2ID = 2 as Algorithm;
// Version 0x13 (`Version.V0x13`, also a const enum).
const V0X13 = 1;

/**
 * argon2id password hashing (issue 5 §2) with `@node-rs/argon2` (prebuilt,
 * no native build on install). Hashes are PHC strings (`$argon2id$v=19$…`).
 */
@Injectable()
export class PasswordHasher {
  private readonly params: PasswordHashParams;
  private dummy?: Promise<string>;

  constructor(@Optional() @Inject(PASSWORD_HASH_PARAMS) params?: PasswordHashParams) {
    this.params = params ?? OWASP_ARGON2ID;
  }

  /** A new salted hash of `password` with the current parameters. */
  hash(password: string): Promise<string> {
    return hash(password, { ...this.params, algorithm: ARGON2ID, version: V0X13 });
  }

  /**
   * True when `password` matches `hashed`. With `hashed` null (unknown user, no
   * password) it verifies against a dummy hash and answers false, so both cost
   * the same work (issue 5 §5: same timing for an unknown user as for a wrong password).
   */
  async verify(hashed: string | null, password: string): Promise<boolean> {
    const target = hashed ?? (await this.dummyHash());
    let ok: boolean;
    try {
      ok = await verify(target, password);
    } catch {
      ok = false; // a malformed stored hash never authenticates
    }
    return hashed !== null && ok;
  }

  /** True when `hashed` was made with other parameters than the current ones (rehash at the next login). */
  needsRehash(hashed: string): boolean {
    try {
      const used = parseOptions(hashed);
      return (
        used.algorithm !== ARGON2ID ||
        used.version !== V0X13 ||
        used.memoryCost !== this.params.memoryCost ||
        used.timeCost !== this.params.timeCost ||
        used.parallelism !== this.params.parallelism
      );
    } catch {
      return true;
    }
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= this.hash(randomBytes(32).toString('base64url'));
    return this.dummy;
  }
}
