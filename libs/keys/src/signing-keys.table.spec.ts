import { signingKeysTableSql } from './signing-keys.table';

describe('signingKeysTableSql', () => {
  it('creates <schema>.signing_keys with the sealed-key columns', () => {
    const sql = signingKeysTableSql('audit');
    expect(sql).toContain('CREATE TABLE audit.signing_keys (');
    for (const column of ['kid text PRIMARY KEY', 'kek_version text NOT NULL', 'iv bytea NOT NULL', 'auth_tag bytea']) {
      expect(sql).toContain(column);
    }
  });

  it('may tolerate an existing table', () => {
    expect(signingKeysTableSql('introspection', { ifNotExists: true })).toContain(
      'CREATE TABLE IF NOT EXISTS introspection.signing_keys (',
    );
  });

  it('refuses anything but a plain schema name', () => {
    expect(() => signingKeysTableSql('token; DROP TABLE x')).toThrow(/schema/);
  });
});
