import { hasDuplicateJsonKeys, rejectDuplicateJsonKeys } from './strict-json.parser';

describe('hasDuplicateJsonKeys', () => {
  it.each([
    ['{"a":1,"a":2}', true],
    ['{"a":1,"b":{"a":2}}', false],
    ['{"a":{"x":1,"x":2}}', true],
    ['[{"a":1},{"a":1}]', false],
    ['{"a":["a","a"],"b":"a"}', false],
    ['{"a\\"":1,"a\\u0022":2}', true],
    ['{"k":"v,\\"k\\":1","k2":[1,{"k":2}],"k3":{}}', false],
    ['{"k":[],"k":{}}', true],
    ['"str"', false],
    ['{}', false],
  ])('%s → %s', (text, expected) => {
    expect(hasDuplicateJsonKeys(text)).toBe(expected);
  });

  it('turns a duplicate into a 400 error and passes everything else through', () => {
    const parse = rejectDuplicateJsonKeys((_req, body, done) => done(null, JSON.parse(body.toString())));
    const results: unknown[] = [];
    parse(undefined as never, Buffer.from('{"a":1,"a":2}'), (err) =>
      results.push((err as { statusCode?: number })?.statusCode),
    );
    parse(undefined as never, Buffer.from('{"a":1}'), (err, body) => results.push(err ?? body));
    expect(results).toEqual([400, { a: 1 }]);
  });
});
