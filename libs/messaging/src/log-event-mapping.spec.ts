import type { RecordedEvent } from '@tessera/event-store';
import { fromCloudEvent, toCloudEvent } from './log-event-mapping';

const event: RecordedEvent = {
  position: 42,
  transactionId: '7731',
  streamId: 'client-9f1c',
  streamVersion: 3,
  id: '0b8f7e8e-58f4-4c57-9b2a-2d2f8a7c1e11',
  type: 'client.registered',
  schemaVersion: 2,
  data: { clientId: '9f1c', redirectUris: ['https://app.example/cb'] },
  metadata: {
    correlationId: 'c-1',
    actor: 'user:u-1',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  },
  recordedAt: new Date('2026-11-29T00:00:00.123Z'),
};

describe('CloudEvents mapping of log events (DESIGN §3)', () => {
  it('puts the log event into a CloudEvents 1.0 envelope', () => {
    const ce = toCloudEvent(event);
    expect(ce).toMatchObject({
      specversion: '1.0',
      id: event.id,
      source: 'urn:tessera:event-store',
      type: 'client.registered',
      subject: 'client-9f1c',
      time: '2026-11-29T00:00:00.123Z',
      datacontenttype: 'application/json',
      dataschema: 'urn:tessera:schema:client.registered:2',
      data: event.data,
      traceparent: event.metadata.traceparent,
      logposition: '42',
      logtxid: '7731',
      streamversion: 3,
    });
  });

  it('uses only lower-case alphanumeric attribute names with scalar values (CloudEvents §3.1.1)', () => {
    const ce = toCloudEvent(event) as unknown as Record<string, unknown>;
    for (const [name, value] of Object.entries(ce)) {
      expect(name).toMatch(/^[a-z0-9]+$/);
      if (name !== 'data') expect(['string', 'number', 'boolean']).toContain(typeof value);
    }
  });

  it('round-trips through JSON back to the same RecordedEvent', () => {
    const wire = JSON.parse(JSON.stringify(toCloudEvent(event)));
    expect(fromCloudEvent(wire)).toEqual(event);
  });

  it('omits traceparent when the metadata has none', () => {
    const ce = toCloudEvent({ ...event, metadata: {} });
    expect(ce.traceparent).toBeUndefined();
    expect(fromCloudEvent(ce).metadata).toEqual({});
  });

  it('refuses envelopes that did not come from the log', () => {
    expect(() => fromCloudEvent({ ...toCloudEvent(event), source: 'urn:elsewhere' })).toThrow(/not a log event/);
    const { logposition: _p, ...withoutPosition } = toCloudEvent(event);
    expect(() => fromCloudEvent(withoutPosition)).toThrow(/logposition/);
  });
});
