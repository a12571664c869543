// The delivery channels as this shop has set them up: settings (crm config) and the secrets from the
// environment variables the settings name (never stored, never printed).
import path from 'node:path';
import type { Context } from '../context.js';
import type { ChannelConfig } from '../io/channels/index.js';

export async function channelConfig(ctx: Context): Promise<ChannelConfig> {
  const s = await ctx.settings();
  const secret = (name: string) => {
    const v = ctx.env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  return {
    stdout: ctx.io.stdout,
    lang: s.language,
    zone: s.timezone,
    now: () => ctx.now(),
    outboxDir: s.outbox_dir || path.join(path.dirname(path.resolve(ctx.dbPath)), 'outbox'),
    webhook: { url: s.webhook_url, kind: s.webhook_kind as ChannelConfig['webhook']['kind'], secret: secret(s.webhook_secret_env), key: secret(s.webhook_key_env), timeoutMs: Number(s.webhook_timeout) * 1000, shopName: s.shop_name },
    smtp: {
      host: s.smtp_host,
      port: Number(s.smtp_port),
      security: s.smtp_security as ChannelConfig['smtp']['security'],
      user: s.smtp_user || undefined,
      password: secret(s.smtp_password_env),
      from: s.smtp_from,
    },
  };
}
