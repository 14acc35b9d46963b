// The HTTP source kind: events POSTed by log shippers (Vector, Fluent Bit) or scripts, each sender with its own token
// (http-source.ts, loaded only when one runs). A request is answered 200 once its lines are committed: the sender's
// retries carry lines over a restart.
import { defineSourceKind, type RunningSource } from '../source.js';
import { httpSourceSchema } from './schema.js';

export const httpSourceKind = defineSourceKind({
  type: 'http',
  schema: httpSourceSchema,
  describe: (s) =>
    `http POST ${s.listen}${s.path} from ${s.senders.map((x) => x.name).join(', ')} (${s.allow.join(', ')}), lines in .${s.field}`,
  checkOnHost: (s, env) =>
    s.senders
      .filter((x) => !env[x.tokenEnv])
      .map(
        (x) =>
          `source ${s.id}: ${x.tokenEnv} is not set: sender ${x.name} will be refused (set it in the environment file)`,
      ),
  async create(s, deps): Promise<RunningSource> {
    const { createHttpSource } = await import('./http-source.js');
    return createHttpSource(s, {
      onChunk: deps.onChunk,
      secret: deps.secret,
      logger: deps.logger,
      timers: deps.timers,
      clock: deps.clock,
      ...(deps.positions.readEventIds ? { readEventIds: deps.positions.readEventIds } : {}),
    });
  },
});
