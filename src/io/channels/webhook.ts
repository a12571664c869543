// The webhook channel: call lists and tasks for the shop's staff group, posted to a WeCom or
// DingTalk group robot (a text message) or to any JSON endpoint ({shop, messages}). A batch is split
// into as few POSTs as keep each under the robot's size limit; each task names the customer, the
// phone, what to say and the delivery id. A POST that fails (no connection, a timeout, a non-2xx
// answer, a robot's non-zero errcode) fails the messages in it with one line that never holds the
// address's token or the signing secret.
import { createHmac } from 'node:crypto';
import { translate } from '../../messages/index.js';
import { shorten } from '../table.js';
import type { Channel, ChannelConfig, Message, Outcome, WebhookConfig } from './index.js';

/**
 * Bytes of one POST's text: WeCom's text message takes 2048 bytes of content, DingTalk's about
 * 20000 (kept under, for its JSON escaping); a plain JSON endpoint is sent up to 256 KiB at a time.
 */
export const WEBHOOK_LIMITS: Record<WebhookConfig['kind'], number> = { json: 256 * 1024, wecom: 2048, dingtalk: 18_000 };

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Cuts text to at most `max` UTF-8 bytes, whole characters only, ending with … when cut. */
export function cutBytes(text: string, max: number): string {
  if (bytes(text) <= max) return text;
  let out = '';
  let used = bytes('…');
  for (const ch of text) {
    used += bytes(ch);
    if (used > max) break;
    out += ch;
  }
  return out + '…';
}

/** Greedy packing in order: each group's cost stays within budget (an item over it goes alone). */
function pack<T>(items: T[], cost: (item: T) => number, budget: number): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let used = 0;
  for (const item of items) {
    const c = cost(item);
    if (group.length > 0 && used + c > budget) {
      groups.push(group);
      group = [];
      used = 0;
    }
    group.push(item);
    used += c;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** One task for the staff: "• name phone · title [delivery id]", then what to say, indented. */
export function taskBlock(m: Message, lang: ChannelConfig['lang']): string {
  const contact = m.phone ?? m.email ?? translate(lang, 'channel.noContact');
  const title = shorten(m.subject.trim() === '' ? m.rule : m.subject, 60);
  const text = m.text.replace(/\r\n?/g, '\n').trim().split('\n').map((line) => `  ${line}`).join('\n');
  return `• ${shorten(m.customerName, 40)} ${contact} · ${title} [${m.deliveryId}]\n${text}`;
}

interface Post {
  messages: Message[];
  body: string;
}

const SEP = '\n\n';

/** The text posts of a batch (WeCom, DingTalk): a title line, then the tasks, each post within the limit. */
function textPosts(batch: Message[], config: ChannelConfig): Post[] {
  const { kind, shopName } = config.webhook;
  const limit = WEBHOOK_LIMITS[kind];
  const title = (count: number, part: number, parts: number) =>
    parts === 1 ? translate(config.lang, 'channel.webhook.title', { shop: shopName, count }) : translate(config.lang, 'channel.webhook.part', { shop: shopName, count, part, parts });
  // Room kept for the longest title any post of this batch can have.
  const budget = limit - bytes(title(batch.length, batch.length, batch.length));
  const tasks = batch.map((m) => ({ m, block: cutBytes(taskBlock(m, config.lang), budget - bytes(SEP)) }));
  const groups = pack(tasks, (t) => bytes(SEP) + bytes(t.block), budget);
  return groups.map((group, i) => {
    const content = title(group.length, i + 1, groups.length) + SEP + group.map((t) => t.block).join(SEP);
    return { messages: group.map((t) => t.m), body: JSON.stringify({ msgtype: 'text', text: { content } }) };
  });
}

/** A message as a JSON endpoint gets it. */
function jsonMessage(m: Message) {
  const { deliveryId, rule, template, customerId, customerName, phone, email, subject, text, dueAt } = m;
  return { deliveryId, rule, template, customerId, customerName, phone, email, subject, text, dueAt, repeat: m.repeat === true };
}

/** The JSON posts of a batch: {shop, messages: [...]}, each within the limit. */
function jsonPosts(batch: Message[], config: ChannelConfig): Post[] {
  const shop = config.webhook.shopName;
  const budget = WEBHOOK_LIMITS.json - bytes(JSON.stringify({ shop, messages: [] }));
  const items = batch.map((m) => ({ m, json: jsonMessage(m) }));
  return pack(items, (it) => bytes(JSON.stringify(it.json)) + 1, budget).map((group) => ({
    messages: group.map((it) => it.m),
    body: JSON.stringify({ shop, messages: group.map((it) => it.json) }),
  }));
}

/** DingTalk's signature: base64 of HMAC-SHA256 over "timestamp\nsecret", keyed by the secret. */
export function dingtalkSign(timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** The address to post to: a signed DingTalk address carries timestamp and sign (URL-encoded). */
function postUrl(webhook: WebhookConfig): URL {
  const url = new URL(webhook.url);
  // The robot's key (WeCom key=, DingTalk access_token=) comes from the environment, never the database.
  if (webhook.key) url.searchParams.set(webhook.kind === 'dingtalk' ? 'access_token' : 'key', webhook.key);
  if (webhook.kind === 'dingtalk' && webhook.secret) {
    // The robot checks the timestamp against its own clock, so this is the machine's, not CRM_NOW.
    const timestamp = String(Date.now());
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('sign', dingtalkSign(timestamp, webhook.secret));
  }
  return url;
}

/** Hides the address's query values (access_token, key), its password and the secret in a text. */
function redactor(webhook: WebhookConfig): (text: string) => string {
  const url = new URL(webhook.url);
  const secrets = [...url.searchParams.values(), url.password, webhook.secret ?? '', webhook.key ?? ''].filter((s) => s.length >= 4);
  return (text) => secrets.reduce((t, s) => t.split(s).join('***'), text.replace(/\s+/g, ' ').trim().slice(0, 300));
}

interface Failure {
  error: string;
  /** The endpoint cannot be reached: the posts after this one are not tried. */
  unreachable: boolean;
}

/** The reason a fetch threw, as one line. */
function networkFailure(e: unknown, config: ChannelConfig, host: string, redact: (t: string) => string): Failure {
  const t = (id: Parameters<typeof translate>[1], params: Record<string, string | number>) => translate(config.lang, id, params);
  const err = e as Error & { cause?: NodeJS.ErrnoException };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return { error: t('channel.fail.timeout', { host, seconds: config.webhook.timeoutMs / 1000 }), unreachable: true };
  const code = err.cause?.code;
  if (code === 'ECONNREFUSED') return { error: t('channel.fail.refused', { host }), unreachable: true };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { error: t('channel.fail.notFound', { host }), unreachable: true };
  return { error: t('channel.fail.unreachable', { host, reason: redact(code ?? err.cause?.message ?? err.message) }), unreachable: true };
}

/** Posts one body; undefined when the endpoint took it. */
async function post(body: string, config: ChannelConfig, redact: (t: string) => string): Promise<Failure | undefined> {
  const url = postUrl(config.webhook);
  const host = url.host;
  let status: number;
  let answer: string;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(config.webhook.timeoutMs),
    });
    status = res.status;
    answer = await res.text();
  } catch (e) {
    return networkFailure(e, config, host, redact);
  }
  if (status < 200 || status > 299) return { error: translate(config.lang, 'channel.fail.http', { host, status }), unreachable: false };
  const robot = parseAnswer(answer);
  if (robot && robot.errcode !== 0) {
    return { error: translate(config.lang, 'channel.fail.errcode', { host, code: robot.errcode, reason: redact(robot.errmsg) }), unreachable: false };
  }
  return undefined;
}

/** A robot's answer {errcode, errmsg}, if the body is one. */
function parseAnswer(text: string): { errcode: number; errmsg: string } | undefined {
  try {
    const v = JSON.parse(text) as { errcode?: unknown; errmsg?: unknown };
    if (v && typeof v === 'object' && v.errcode !== undefined) return { errcode: Number(v.errcode), errmsg: String(v.errmsg ?? '') };
  } catch {
    // Not JSON: a plain endpoint's "ok".
  }
  return undefined;
}

export function webhookChannel(config: ChannelConfig): Channel {
  const redact = redactor(config.webhook);
  return {
    name: 'webhook',
    needs: null,
    batchSize: 100,
    async send(batch) {
      const posts = config.webhook.kind === 'json' ? jsonPosts(batch, config) : textPosts(batch, config);
      const outcomes = new Map<string, Outcome>();
      let down: Failure | undefined;
      for (const p of posts) {
        const failed = down ?? (await post(p.body, config, redact));
        if (failed?.unreachable) down = failed;
        for (const m of p.messages) outcomes.set(m.deliveryId, failed ? { deliveryId: m.deliveryId, ok: false, error: failed.error } : { deliveryId: m.deliveryId, ok: true });
      }
      return batch.map((m) => outcomes.get(m.deliveryId)!);
    },
    async delivered() {
      return new Set();
    },
    async close() {},
  };
}
