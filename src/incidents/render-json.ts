// The line `logwarden run --stdout` prints for each incident event: one JSON object, times in ISO 8601.
import type { IncidentEvent } from '../core/types.js';

export function renderIncidentJson({ event, incident }: IncidentEvent): string {
  return JSON.stringify({
    event,
    incident: {
      id: incident.id,
      rule: incident.rule,
      severity: incident.severity,
      title: incident.title,
      key: incident.key,
      fields: incident.fields,
      count: incident.count,
      firstSeen: new Date(incident.firstSeen).toISOString(),
      lastSeen: new Date(incident.lastSeen).toISOString(),
      source: incident.source,
      sample: incident.sample,
    },
  });
}
