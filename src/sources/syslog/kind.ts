// The syslog source kind: messages from other hosts (rsyslog, syslog-ng, network devices, `logger -n`) over UDP, TCP
// and TLS (syslog-source.ts, loaded only when one runs). It keeps no position: a sender that resends after a
// reconnect (rsyslog's queue, RELP) is what carries messages over a restart; with idFrom, the ids it took are kept,
// so what it sends again is dropped.
import { accessSync, constants } from 'node:fs';
import { defineSourceKind, type RunningSource } from '../source.js';
import { syslogSourceSchema } from './schema.js';

export const syslogSourceKind = defineSourceKind({
  type: 'syslog',
  schema: syslogSourceSchema,
  describe: (s) => `syslog on ${s.listen.join(', ')} from ${s.allow.join(', ')}`,
  checkOnHost(s) {
    const files = s.tls ? [s.tls.cert, s.tls.key, ...(s.tls.ca ? [s.tls.ca] : [])] : [];
    return files.flatMap((file) => {
      try {
        accessSync(file, constants.R_OK);
        return [];
      } catch {
        return [
          `source ${s.id}: ${file} cannot be read; its tls:// and relp+tls:// listeners will not start without it`,
        ];
      }
    });
  },
  async create(s, deps): Promise<RunningSource> {
    const { createSyslogSource } = await import('./syslog-source.js');
    return createSyslogSource(s, {
      onChunk: deps.onChunk,
      clock: deps.clock,
      logger: deps.logger,
      timers: deps.timers,
      ...(deps.positions.readEventIds ? { readEventIds: deps.positions.readEventIds } : {}),
    });
  },
});
