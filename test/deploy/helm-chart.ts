// Renders deploy/helm/tessera as `helm template` would (values.yaml merged with overrides, every
// templates/*.yaml rendered with .Values, .Release and .Chart, split into YAML documents), with
// the subset renderer of go-template.ts. Used by helm-chart.e2e-spec.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { GoTemplates } from './go-template';

/** The chart's folder. */
export const CHART_DIR = join(__dirname, '..', '..', 'deploy', 'helm', 'tessera');

/** One rendered Kubernetes object. */
export interface Manifest {
  /** The template file it came from. */
  source: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

type Values = Record<string, unknown>;

function isMap(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Helm's values merge: maps merge key by key, anything else is replaced. */
export function mergeValues(base: Values, overrides: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    out[key] = isMap(value) && isMap(base[key]) ? mergeValues(base[key], value) : value;
  }
  return out;
}

/** The chart's default values (values.yaml). */
export function defaultValues(): Values {
  return parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as Values;
}

/** Renders every template of the chart for release `name` in `namespace`. */
export function renderChart(overrides: Values = {}, release = { name: 'tessera', namespace: 'tessera' }): Manifest[] {
  const chart = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as Record<string, string>;
  const templates = new GoTemplates();
  const files = readdirSync(join(CHART_DIR, 'templates')).sort();
  for (const file of files) templates.add(file, readFileSync(join(CHART_DIR, 'templates', file), 'utf8'));
  const context = {
    Values: mergeValues(defaultValues(), overrides),
    Release: { Name: release.name, Namespace: release.namespace, Service: 'Helm', IsInstall: true, IsUpgrade: false },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  // Files starting with `_` hold only definitions: Helm renders them but installs nothing.
  return files
    .filter((file) => !file.startsWith('_') && /\.ya?ml$/.test(file))
    .flatMap((file) => {
      const text = templates.render(file, context);
      return parseAllDocuments(text).flatMap((doc) => {
        if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}\n${text}`);
        const object = doc.toJS() as Manifest | null;
        return object ? [{ ...object, source: file }] : [];
      });
    });
}
