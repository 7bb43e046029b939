import type { ProjectionStatus } from '@tessera/projections';

/** Projections further behind the log head than this are not ready (DESIGN §4: lag is part of readiness). */
export const MAX_READY_PROJECTION_LAG = 1000;

/** The outcome of one readiness check. */
export interface CheckResult {
  name: string;
  ok: boolean;
  /** Why it failed; a short operator-facing sentence, never a stack trace. */
  detail?: string;
  /** Reported as `degraded` when it fails, without making the process unready. */
  advisory?: boolean;
}

/** The /health/ready body. */
export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, { status: 'ok' | 'failing' | 'degraded'; detail?: string }>;
}

/**
 * Ready only when every non-advisory check passed; the report names each
 * failing one, and each failed advisory check as `degraded`.
 */
export function aggregateReadiness(results: readonly CheckResult[]): ReadinessReport {
  const checks: ReadinessReport['checks'] = {};
  for (const r of results) {
    const failed = r.advisory ? 'degraded' : 'failing';
    checks[r.name] = r.ok ? { status: 'ok' } : { status: failed, detail: r.detail ?? 'failed' };
  }
  return { status: results.every((r) => r.ok || r.advisory) ? 'ok' : 'unavailable', checks };
}

/** Marks results as advisory (see CheckResult.advisory). */
export function advisory(results: readonly CheckResult[]): CheckResult[] {
  return results.map((r) => ({ ...r, advisory: true }));
}

/** One check per projection: healthy (no poison event) and lag under the threshold. */
export function projectionChecks(
  statuses: readonly ProjectionStatus[],
  maxLag = MAX_READY_PROJECTION_LAG,
): CheckResult[] {
  return statuses.map((s) => {
    const name = `projection:${s.schema}.${s.name}`;
    if (!s.healthy) return { name, ok: false, detail: s.error ? `unhealthy: ${s.error}` : 'unhealthy' };
    if (s.lag > maxLag) return { name, ok: false, detail: `lag ${s.lag} events exceeds ${maxLag}` };
    return { name, ok: true };
  });
}

/** Runs a check with a deadline, turning any throw or timeout into a failed result. */
export async function runCheck(
  name: string,
  check: () => Promise<CheckResult | CheckResult[] | boolean>,
  timeoutMs: number,
): Promise<CheckResult[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const result = await Promise.race([check(), timeout]);
    if (typeof result === 'boolean') return [{ name, ok: result, detail: result ? undefined : 'unhealthy' }];
    return Array.isArray(result) ? result : [result];
  } catch (err) {
    return [{ name, ok: false, detail: (err as Error).message?.split('\n')[0] || 'failed' }];
  } finally {
    clearTimeout(timer);
  }
}
