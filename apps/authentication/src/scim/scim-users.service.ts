import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@tessera/event-store';
import { CONFIG, type TesseraConfig } from '@tessera/platform';
import type { CommandMeta, UserState } from '../users/user.decider';
import { type DirectoryRecord, UserDirectory } from '../users/user.directory';
import { UserService } from '../users/user.service';
import { parseUserFilter, parsePagination } from './scim-filter';
import { applyPatch, parsePatchRequest } from './scim-patch';
import { parseUserResource, userDocument } from './scim-user.parser';
import { ScimError } from './scim.error';
import { scimListResponse, scimUserResource, type ScimUserSource } from './scim-user.resource';

/** A rendered User and its version (for the ETag header). */
export interface ScimUserAnswer {
  resource: Record<string, unknown>;
  location: string;
  version: number;
}

/** Query parameters of a list request, as they arrive (repeated ones as arrays). */
export type ScimListQuery = Record<string, string | string[] | undefined>;

function single(query: ScimListQuery, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw ScimError.invalidValue(`${name} appears twice`);
  return value;
}

function fromState(state: UserState): ScimUserSource {
  return { ...state, id: state.userId };
}

function fromRecord(record: DirectoryRecord): ScimUserSource {
  const { id, active, version, createdAt, lastModified, userName, name, displayName, emails, claims } = record;
  return {
    id,
    active,
    version,
    createdAt,
    lastModified,
    profile: {
      userName,
      ...(name ? { name } : {}),
      ...(displayName !== undefined ? { displayName } : {}),
      emails,
      claims,
    },
  };
}

/** SCIM 2.0 Users (RFC 7644 §3) over the user aggregate: parse, command, render. */
@Injectable()
export class ScimUsersService {
  private readonly base: string;

  constructor(
    private readonly users: UserService,
    private readonly directory: UserDirectory,
    @Inject(CONFIG) config: TesseraConfig,
  ) {
    if (config.mode === 'cli') throw new Error('ScimUsersService needs a serving config');
    this.base = `${config.issuer}/scim/v2/Users`;
  }

  /** RFC 7644 §3.3. */
  async create(body: unknown, meta: CommandMeta): Promise<ScimUserAnswer> {
    return this.answer(await this.users.create(parseUserResource(body), meta));
  }

  /** RFC 7644 §3.4.1. */
  async get(id: string): Promise<ScimUserAnswer> {
    const user = await this.users.get(id);
    if (user === null) throw new NotFoundError('user not found');
    return this.answer(user);
  }

  /** RFC 7644 §3.4.2: `filter=userName eq "…"` (exact, from the log) or every user (from the read model). */
  async list(query: ScimListQuery): Promise<Record<string, unknown>> {
    const { startIndex, count } = parsePagination(single(query, 'startIndex'), single(query, 'count'));
    const filter = single(query, 'filter');
    if (filter !== undefined) {
      const { userName } = parseUserFilter(filter);
      const user = await this.users.getByUserName(userName);
      const all = user === null ? [] : [this.render(fromState(user))];
      return scimListResponse(all.slice(startIndex - 1, startIndex - 1 + count), all.length, startIndex);
    }
    const page = await this.directory.page(startIndex, count);
    return scimListResponse(
      page.records.map((r) => this.render(fromRecord(r))),
      page.total,
      startIndex,
    );
  }

  /** RFC 7644 §3.5.1: replaces every attribute; an omitted password stays as it was. */
  async replace(id: string, body: unknown, meta: CommandMeta, ifMatch?: number): Promise<ScimUserAnswer> {
    const input = parseUserResource(body);
    return this.answer(await this.users.update(id, () => input, meta, ifMatch));
  }

  /** RFC 7644 §3.5.2: applies the operations, then validates the result as a whole resource. */
  async patch(id: string, body: unknown, meta: CommandMeta, ifMatch?: number): Promise<ScimUserAnswer> {
    const operations = parsePatchRequest(body);
    const user = await this.users.update(
      id,
      (current) => parseUserResource(applyPatch(userDocument(current), operations)),
      meta,
      ifMatch,
    );
    return this.answer(user);
  }

  /** RFC 7644 §3.6. */
  async delete(id: string, meta: CommandMeta, ifMatch?: number): Promise<void> {
    await this.users.delete(id, meta, ifMatch);
  }

  private answer(user: UserState): ScimUserAnswer {
    const source = fromState(user);
    return { resource: this.render(source), location: this.location(source.id), version: source.version };
  }

  private render(source: ScimUserSource): Record<string, unknown> {
    return scimUserResource(source, this.location(source.id));
  }

  private location(id: string): string {
    return `${this.base}/${encodeURIComponent(id)}`;
  }
}
