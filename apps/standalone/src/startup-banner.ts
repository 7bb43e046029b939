import { join } from 'node:path';
import { MEMORY_DATA_DIR, type StandaloneConfig } from '@tessera/platform';

/**
 * The human-readable lines `npm start` prints besides the JSON log (issue 2 §7):
 * where the platform is, and how to get a first token (RFC 7591 registration
 * with the admin token, then client credentials). The admin token appears
 * here only when this start generated it, and only once.
 */
export function startupBanner(config: StandaloneConfig): string {
  const memory = config.dataDir === MEMORY_DATA_DIR;
  const lines = [
    '',
    'Tessera standalone is running',
    `  issuer:      ${config.issuer}`,
    `  data dir:    ${memory ? 'memory (nothing is kept after exit)' : config.dataDir}`,
    `  health:      http://localhost:${config.port}/health/ready`,
  ];
  if (config.adminTokenGenerated) {
    lines.push(`  admin token: ${config.adminToken.reveal()}`);
    lines.push(
      memory
        ? '               (generated for this process only)'
        : `               (generated now and kept in ${join(config.dataDir, 'admin-token')}; it is not shown again)`,
    );
  }
  lines.push(
    '  first token: register a machine client with the admin token, then ask for a token with its credentials:',
    `    curl -s -X POST ${config.issuer}/oauth/register -H 'Authorization: Bearer <admin token>' \\`,
    `         -H 'Content-Type: application/json' -d '{"grant_types":["client_credentials"]}'`,
    `    curl -s -u '<client_id>:<client_secret>' -d grant_type=client_credentials ${config.issuer}/oauth/token`,
  );
  return lines.join('\n') + '\n\n';
}
