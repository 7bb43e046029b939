import { Inject, Injectable } from '@nestjs/common';
import type { Database, EventStore } from '@tessera/event-store';
import { DATABASE, EVENT_STORE } from '@tessera/platform';
import { ReadThrough } from '@tessera/projections';
import { PersonalDataUnreadableError } from './user.errors';
import { UserKeyStore } from './user-key.store';
import { UserNameIndex } from './user-name.index';
import type { ClaimValue, PersonName, UserEmail } from './user-profile';
import { isUserId } from './user.service';
import { type UserRow, usersProjection } from './users.projection';

/** A user as other features see them (login, ID tokens, userinfo): personal data opened. */
export interface DirectoryUser {
  /** The user id: the `sub` of their tokens. */
  id: string;
  userName: string;
  name?: PersonName;
  displayName?: string;
  emails: UserEmail[];
  active: boolean;
  /** Custom claims (the SCIM claims extension). */
  claims: Record<string, ClaimValue>;
}

/** A directory user with the SCIM resource metadata (RFC 7643 §3.1). */
export interface DirectoryRecord extends DirectoryUser {
  version: number;
  createdAt: string;
  lastModified: string;
}

/** One page of users (RFC 7644 §3.4.2.4). */
export interface DirectoryPage {
  total: number;
  records: DirectoryRecord[];
}

/**
 * Reads users (issue 5 §1) from `authentication.users`, read-through to the
 * log for a user created a moment ago (DESIGN §4), and opens their personal
 * data with their key: a deleted user's key is gone, so they are null everywhere.
 */
@Injectable()
export class UserDirectory {
  private readonly rows: ReadThrough<UserRow>;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EVENT_STORE) store: EventStore,
    private readonly keys: UserKeyStore,
    private readonly names: UserNameIndex,
  ) {
    this.rows = new ReadThrough(db, store, usersProjection);
  }

  /** The user with this id, or null (unknown, deleted or unreadable). */
  async get(userId: string): Promise<DirectoryUser | null> {
    return this.record(userId);
  }

  /** The live user with this userName (case-insensitive, RFC 7643 §4.1.1), or null. */
  async findByUserName(userName: string): Promise<DirectoryUser | null> {
    const userId = await this.names.find(userName);
    return userId === null ? null : this.record(userId);
  }

  /** The user with their resource metadata, or null. */
  async record(userId: string): Promise<DirectoryRecord | null> {
    if (!isUserId(userId)) return null;
    const row = await this.rows.get(userId.toLowerCase());
    if (row === null) return null;
    return this.open([row]).then((opened) => opened[0] ?? null);
  }

  /**
   * Users in a stable order (by id), `startIndex` 1-based (RFC 7644 §3.4.2.4),
   * from the read model: a user created this instant may show a moment later.
   */
  async page(startIndex: number, count: number): Promise<DirectoryPage> {
    const total = await this.count();
    if (count === 0 || total === 0) return { total, records: [] };
    const rows = await this.db.query<{ state: UserRow | string }>(
      'SELECT state FROM authentication.users ORDER BY key LIMIT $1 OFFSET $2',
      [count, startIndex - 1],
    );
    return { total, records: await this.open(rows.map((r) => parse(r.state))) };
  }

  private async count(): Promise<number> {
    try {
      const rows = await this.db.query<{ n: string | number }>('SELECT count(*) AS n FROM authentication.users');
      return Number(rows[0].n);
    } catch (err) {
      // Before the projection runner's first start the table does not exist: no users yet.
      if ((err as { code?: unknown }).code === '42P01') return 0;
      throw err;
    }
  }

  private async open(rows: readonly UserRow[]): Promise<DirectoryRecord[]> {
    const ciphers = await this.keys.loadMany(rows.map((r) => r.userId));
    const records: DirectoryRecord[] = [];
    for (const row of rows) {
      const cipher = ciphers.get(row.userId);
      if (cipher === undefined) continue; // shredded: the user no longer exists for anyone
      let profile;
      try {
        profile = cipher.open(row.personal);
      } catch (err) {
        if (err instanceof PersonalDataUnreadableError) continue;
        throw err;
      }
      records.push({
        id: row.userId,
        userName: profile.userName,
        ...(profile.name ? { name: profile.name } : {}),
        ...(profile.displayName !== undefined ? { displayName: profile.displayName } : {}),
        emails: profile.emails,
        active: row.active,
        claims: profile.claims,
        version: row.version,
        createdAt: row.createdAt,
        lastModified: row.lastModified,
      });
    }
    return records;
  }
}

/** jsonb arrives parsed from pg and PGlite; a string only from unusual drivers. */
function parse(state: UserRow | string): UserRow {
  return typeof state === 'string' ? (JSON.parse(state) as UserRow) : state;
}
