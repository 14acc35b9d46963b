// The stdout notifier: each incident event as one JSON line, with `run --stdout` or when no chat platform is set.
import { defineNotifierKind } from '../notifier.js';

export const stdoutNotifierKind = defineNotifierKind({
  name: 'stdout',
  async create(ctx) {
    if (!ctx.stdout && ctx.made.some((n) => n.chat)) return undefined;
    const { renderIncidentJson } = await import('../../incidents/render-json.js');
    return { name: 'stdout', onEvent: (event) => ctx.write(`${renderIncidentJson(event)}\n`) };
  },
});
