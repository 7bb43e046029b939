import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startTracing } from './tracing';

// The OTLP exporter loads `http` by dynamic import, which jest's sandbox refuses (STACK.md: test export in a
// spawned process): the child compiles this lib's TypeScript with @swc/core on require.
const CHILD = `
const Module = require('node:module');
const fs = require('node:fs');
const swc = require('@swc/core');
Module._extensions['.ts'] = (m, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename, module: { type: 'commonjs' }, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  });
  m._compile(code, filename);
};
const { startTracing } = require(process.argv[1]);
const tracing = startTracing({ service: 'token', otlpEndpoint: process.argv[2] });
tracing.tracer.startSpan('POST /oauth/token').end();
tracing.shutdown().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
`;

describe('startTracing', () => {
  it('exports spans over OTLP/HTTP to <endpoint>/v1/traces with the service name', async () => {
    const received: { url?: string; body: string }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ url: req.url, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const child = spawn(process.execPath, ['-e', CHILD, join(__dirname, 'tracing.ts'), `http://127.0.0.1:${port}/`], {
        cwd: join(__dirname, '../../..'),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      expect([code, stderr]).toEqual([0, '']);
      expect(received).toHaveLength(1);
      expect(received[0].url).toBe('/v1/traces');
      expect(received[0].body).toContain('POST /oauth/token');
      expect(received[0].body).toContain('"service.name"');
      expect(received[0].body).toContain('"token"');
    } finally {
      server.close();
    }
  }, 30_000);

  it('records spans without an endpoint (ids reach events and logs) and exports nothing', async () => {
    const tracing = startTracing({ service: 'token', global: false });
    const span = tracing.tracer.startSpan('x');
    expect(span.isRecording()).toBe(true);
    span.end();
    await tracing.shutdown();
  });
});
