import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { BODY_LIMIT_BYTES, rejectDuplicateJsonKeys } from '@tessera/platform';

const SCIM_MEDIA_TYPE = 'application/scim+json';

/**
 * A SCIM body that did not parse. Fastify's parse errors never reach a
 * controller's filter (the platform's global one renders them as OAuth
 * errors), so the SCIM parser hands this on instead and the SCIM code answers
 * RFC 7644 §3.12 `invalidSyntax` itself.
 */
export class MalformedScimBody {
  constructor(readonly detail: string) {}
}

/**
 * RFC 7644 §3.1: SCIM clients send `application/scim+json`. Fastify parses
 * only the types it was given, so this registers the platform's strict JSON
 * parser (duplicate members refused) for it, once per process (standalone
 * composes several modules on one Fastify instance).
 */
@Injectable()
export class ScimJsonParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as FastifyAdapter | undefined;
    const fastify = adapter?.getInstance?.();
    if (fastify === undefined || typeof fastify.addContentTypeParser !== 'function') return;
    if (fastify.hasContentTypeParser(SCIM_MEDIA_TYPE)) return;
    const json = fastify.getDefaultJsonParser('error', 'error');
    const strict = rejectDuplicateJsonKeys<unknown>((req, body, done) =>
      json(req as never, body.toString('utf8'), done),
    );
    fastify.addContentTypeParser(
      SCIM_MEDIA_TYPE,
      { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES },
      (req, body, done) =>
        strict(req, body as Buffer, (err, parsed) => {
          if (err === null) return done(null, parsed);
          const detail = err.message.includes('duplicate') ? err.message : 'the body is not valid JSON';
          done(null, new MalformedScimBody(detail));
        }),
    );
  }
}
