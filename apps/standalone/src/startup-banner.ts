import { join } from 'node:path';
import { MEMORY_DATA_DIR, type StandaloneConfig } from '@tessera/platform';

/**
 * The human-readable lines `npm start` prints besides the JSON log (issue 2 §7):
 * the admin token appears here only when this start generated it.
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
  return lines.join('\n') + '\n\n';
}
