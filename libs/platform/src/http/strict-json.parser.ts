/** The body parser shape Fastify's `addContentTypeParser` takes with `parseAs: 'buffer'`. */
type BodyParser<R> = (req: R, body: Buffer, done: (err: Error | null, body?: unknown) => void) => void;

/** Error Fastify turns into a 400 (its content-parser errors carry a statusCode). */
class DuplicateKeyError extends Error {
  // Nest maps only errors named FastifyError with a statusCode to their status (else 500).
  override readonly name = 'FastifyError';
  readonly statusCode = 400;
  readonly code = 'TESSERA_DUPLICATE_JSON_KEY';
}

/**
 * True when some object in a syntactically valid JSON text repeats a member
 * name. JSON.parse silently keeps the last one, which lets two parties read
 * different values from one request (RFC 8259 §4: names SHOULD be unique).
 */
export function hasDuplicateJsonKeys(text: string): boolean {
  const stack: (Set<string> | null)[] = []; // a Set per object, null per array
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.has(key)) return true;
        top.add(key);
        expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
    i++;
  }
  return false;
}

/**
 * Wraps Fastify's JSON parser so that a body with a duplicated member name is
 * a 400 instead of silently taking the last value (issue 3 "Bad input").
 */
export function rejectDuplicateJsonKeys<R>(parse: BodyParser<R>): BodyParser<R> {
  return (req, body, done) =>
    parse(req, body, (err, parsed) => {
      if (err) return done(err);
      if (hasDuplicateJsonKeys(body.toString('utf8'))) {
        return done(new DuplicateKeyError('duplicate member name in the JSON body'));
      }
      done(null, parsed);
    });
}
