// A message's web link, built from the workspace URL auth.test returns; no API call per message.
export function renderSlackPermalink(workspaceUrl: string, channel: string, ts: string): string {
  return `${workspaceUrl.endsWith('/') ? workspaceUrl : `${workspaceUrl}/`}archives/${channel}/p${ts.replace('.', '')}`;
}
