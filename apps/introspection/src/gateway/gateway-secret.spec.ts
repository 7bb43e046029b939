import { loadConfig } from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';
import { GatewaySecret, gatewaySecretFromConfig } from './gateway-secret';

const SECRET = 'gateway-secret-0123456789abcdefghijklmnop';

function recordingLogger() {
  const lines: string[] = [];
  const logger: Logger = {
    debug: (o, m) => lines.push(JSON.stringify([o, m])),
    info: (o, m) => lines.push(JSON.stringify([o, m])),
    warn: (o, m) => lines.push(JSON.stringify([o, m])),
    error: (o, m) => lines.push(JSON.stringify([o, m])),
  };
  return { logger, lines };
}

describe('GatewaySecret', () => {
  it('accepts exactly the configured secret', () => {
    const secret = new GatewaySecret(SECRET);
    expect(secret.enabled).toBe(true);
    expect(secret.accepts(SECRET)).toBe(true);
    for (const other of [undefined, '', SECRET.slice(0, -1), `${SECRET} `, SECRET.toUpperCase(), [SECRET, SECRET]]) {
      expect(secret.accepts(other)).toBe(false);
    }
  });

  it('accepts nothing when no secret is configured', () => {
    const off = new GatewaySecret(undefined);
    expect(off.enabled).toBe(false);
    for (const presented of [undefined, '', 'undefined', SECRET]) expect(off.accepts(presented)).toBe(false);
  });

  it('comes from TESSERA_GATEWAY_SECRET, and says at start when the endpoint is disabled, never the value', () => {
    const env = { TESSERA_DATA_DIR: 'memory', TESSERA_ADMIN_TOKEN: 'admin-token-0123456789abcdef' };
    const on = recordingLogger();
    const configured = gatewaySecretFromConfig(
      loadConfig('standalone', { ...env, TESSERA_GATEWAY_SECRET: SECRET }),
      on.logger,
    );
    expect(configured.accepts(SECRET)).toBe(true);
    expect(on.lines).toEqual([]);

    const off = recordingLogger();
    const disabled = gatewaySecretFromConfig(loadConfig('standalone', env), off.logger);
    expect(disabled.enabled).toBe(false);
    expect(off.lines).toHaveLength(1);
    expect(off.lines[0]).toContain('/gateway/phantom is disabled');
    expect(off.lines[0]).toContain('TESSERA_GATEWAY_SECRET');
  });
});
