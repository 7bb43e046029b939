// The subset renderer of go-template.ts behaves as text/template and Helm do on what the chart
// uses; expected outputs are those of Go's text/template with Helm's functions.
import { GoTemplates } from './go-template';

const render = (source: string, data: unknown = {}) => new GoTemplates().add('t', source).render('t', data);

describe('GoTemplates', () => {
  it('prints fields and trims whitespace on the marked side only', () => {
    expect(render('a: {{ .x.y }}\n', { x: { y: 1 } })).toBe('a: 1\n');
    expect(render('a \n {{- .v -}} \n b', { v: 'X' })).toBe('aXb');
    expect(render('a {{ .v -}}\n  b', { v: 'X' })).toBe('a Xb');
    expect(render('{{/* a comment */}}x')).toBe('x');
  });

  it('fails on a field of a missing value, as Helm does', () => {
    expect(() => render('{{ .a.b }}', {})).toThrow(/nil pointer/);
    expect(render('[{{ .a }}]', {})).toBe('[]');
  });

  it('ranges over a map in key order, with $ still the root', () => {
    const out = render('{{ range $k, $v := .m }}{{ $k }}={{ $v.p }}/{{ $.r }} {{ end }}', {
      m: { b: { p: 2 }, a: { p: 1 } },
      r: 'R',
    });
    expect(out).toBe('a=1/R b=2/R ');
    expect(render('{{ range .l }}<{{ . }}>{{ else }}none{{ end }}', { l: [] })).toBe('none');
  });

  it('branches on truth with else if', () => {
    const t = '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}';
    expect([render(t, { a: 1 }), render(t, { b: 'x' }), render(t, { a: 0, b: [] })]).toEqual(['A', 'B', 'C']);
    expect(render('{{ with .w }}{{ . }}{{ end }}|', { w: 'W' })).toBe('W|');
  });

  it('includes definitions with a dict context and indents YAML', () => {
    const t =
      '{{- define "l" -}}\nname: {{ .n }}\nroot: {{ .r.x }}\n{{- end -}}\nm:\n  {{- include "l" (dict "n" "a" "r" .) | nindent 2 }}\n';
    expect(render(t, { x: 'X' })).toBe('m:\n  name: a\n  root: X\n');
    expect(render('r:\n  {{- toYaml .v | nindent 2 }}', { v: { a: [1, 'b'] } })).toBe('r:\n  a:\n    - 1\n    - b');
  });

  it("has Helm's quote, default, required and printf", () => {
    expect(render('{{ .p | quote }}', { p: 4001 })).toBe('"4001"');
    expect(render('{{ .t | default .d }}', { t: '', d: 'dflt' })).toBe('dflt');
    expect(render('{{ printf "%s-%v" .a .b }}', { a: 'x', b: 2 })).toBe('x-2');
    expect(() => render('{{ required "need v" .v }}', {})).toThrow('need v');
  });

  it('refuses what it does not implement instead of guessing', () => {
    expect(() => render('{{ lookup "v1" "Secret" "ns" "n" }}')).toThrow(/not supported/);
    expect(() => render('{{ if .a }}x')).toThrow(/missing \{\{ end \}\}/);
  });
});
