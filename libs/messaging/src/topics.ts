/** The logical topics of DESIGN §3. */
export const Topics = {
  identityEvents: 'iam.identity-events',
  revocations: 'iam.revocations',
  audit: 'iam.audit',
  deadLetters: 'iam.dead-letters',
} as const;

/** A logical topic. */
export type TopicName = (typeof Topics)[keyof typeof Topics];

/**
 * The full topic names under an optional prefix (tests isolate themselves
 * with one; production uses none).
 */
export function topicNames(prefix = ''): Record<keyof typeof Topics, string> {
  const p = prefix ? `${prefix}.` : '';
  return {
    identityEvents: p + Topics.identityEvents,
    revocations: p + Topics.revocations,
    audit: p + Topics.audit,
    deadLetters: p + Topics.deadLetters,
  };
}
