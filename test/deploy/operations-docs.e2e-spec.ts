// The deployment and operations docs name real things (issue 7 §4, §5): every metric, CLI command,
// event type, topic and projection table they mention exists in the code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { commands } from '../../apps/cli/src/commands';
import { Topics } from '../../libs/messaging/src/topics';

const root = join(__dirname, '..', '..');
const docs = ['deploy/README.md', 'docs/architecture.md', 'docs/runbook.md'].map((path) => ({
  path,
  text: readFileSync(join(root, path), 'utf8'),
}));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/spec\.ts$/.test(name) ? [readFileSync(path, 'utf8')] : [];
  });
}
const code = [...sources(join(root, 'apps')), ...sources(join(root, 'libs'))].join('\n');

const matches = (pattern: RegExp) => [...new Set(docs.flatMap((d) => [...d.text.matchAll(pattern)].map((m) => m[1])))];

describe('deployment and operations docs', () => {
  it('name only metrics the code registers', () => {
    const metrics = matches(/`(tessera_[a-z_]+)/g);
    expect(metrics.length).toBeGreaterThan(3);
    expect(metrics.filter((m) => !code.includes(`'${m}'`))).toEqual([]);
  });

  it('name only CLI commands that exist', () => {
    const names = new Set(commands.map((c) => c.name));
    // A command at the start of a line or of a code span (not `kubectl -n tessera …`).
    const used = matches(/(?:^|`)tessera ([a-z]+)\b/gm);
    expect(used.length).toBeGreaterThan(3);
    expect(used.filter((w) => !names.has(w))).toEqual([]);
    for (const sub of ['projections status', 'projections rebuild', 'keys rotate', 'keys list', 'audit verify']) {
      expect(docs.some((d) => d.text.includes(`tessera ${sub}`))).toBe(true);
    }
  });

  it('name only event types, topics and CloudEvent types that exist', () => {
    const eventTypes = matches(/\*\*`([a-z-]+\.[a-z-]+)`\*\*/g).concat(
      matches(/`([a-z-]+\.(?:issued|revoked|started|redeemed|granted|received|completed|created|activated|retired))`/g),
    );
    expect(eventTypes.length).toBeGreaterThan(5);
    expect(eventTypes.filter((t) => !code.includes(`'${t}'`))).toEqual([]);
    const topics = Object.values(Topics) as string[];
    expect(matches(/`(iam\.[a-z-]+)`/g).filter((t) => !topics.includes(t))).toEqual([]);
    for (const type of matches(/`(tessera\.[a-z]+\.v\d+)`/g)) expect(code).toContain(`'${type}'`);
  });

  it('name only projection tables that exist', () => {
    for (const table of matches(/`((?:introspection|token|audit)\.[a-z_]+)`/g)) {
      const [schema, name] = table.split('.');
      const declared =
        code.includes(`name: '${name}'`) ||
        code.includes(`CREATE TABLE ${schema}.${name}`) ||
        code.includes(`${schema}.${name}`) ||
        // Per-schema tables of every projection (libs/projections/src/projection-sql.ts).
        code.includes('${s}.' + name);
      expect([table, declared]).toEqual([table, true]);
    }
  });
});
