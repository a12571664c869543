// The delivery channels of reminders: what the reminder engine hands a batch of due messages to,
// and what it asks, after a killed run, which of them already went out. Each channel is in a file
// of its own (stdout, outbox, webhook, email) and takes plain configuration, not the Context, so
// it can be tested alone; docs/channels.md says what each promises when a run is killed.
import type { Writable } from 'node:stream';
import { badInput } from '../../errors.js';
import type { Lang } from '../../messages/index.js';
import { emailChannel } from './email.js';
import { outboxChannel } from './outbox.js';
import { stdoutChannel } from './stdout.js';
import { webhookChannel } from './webhook.js';

export type ChannelName = 'stdout' | 'outbox' | 'webhook' | 'email';
export const CHANNELS: readonly ChannelName[] = ['stdout', 'outbox', 'webhook', 'email'];

/** One rendered message, due now, for one customer. */
export interface Message {
  /** Short and unique (r7k2m9xq4p): travels with the message so a repeat after a crash is recognisable. */
  deliveryId: string;
  rule: string;
  template: string;
  customerId: number;
  customerName: string;
  /** E.164. */
  phone: string | null;
  email: string | null;
  /** The email's subject; a short title on stdout and in the webhook. */
  subject: string;
  /** The rendered message. */
  text: string;
  /** ISO instant. */
  dueAt: string;
  /**
   * An earlier run claimed this message and stopped without recording a result, so it may have gone
   * out already (stdout marks it; the other channels carry the same delivery id either way).
   */
  repeat?: boolean;
}

export interface Outcome {
  deliveryId: string;
  ok: boolean;
  /** One line, in the configured language, never holding a secret. */
  error?: string;
}

export interface Channel {
  name: ChannelName;
  /** What a customer needs to be reachable on it: a phone (outbox), an email (email), nothing (stdout, webhook: these go to the shop's own people). */
  needs: 'phone' | 'email' | null;
  /**
   * The most messages to hand send() at once. stdout takes one, so that the engine records each
   * message as soon as it is written and a kill repeats at most the one being written.
   */
  batchSize: number;
  /** Delivers the batch; one outcome per message, in the batch's order. Never throws for a delivery failure. */
  send(batch: Message[]): Promise<Outcome[]>;
  /** Delivery ids among these that this channel already holds (outbox: found in the outbox files), for messages a killed run may have sent; channels that cannot tell return an empty set. */
  delivered(ids: string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

export interface WebhookConfig {
  url: string;
  kind: 'json' | 'wecom' | 'dingtalk';
  /** DingTalk's signing secret (read from the environment variable the settings name). */
  secret?: string;
  /** The robot's key, added to the address as key= (WeCom) or access_token= (DingTalk; json: key=); from the environment. */
  key?: string;
  timeoutMs: number;
  shopName: string;
}

export interface SmtpConfig {
  host: string;
  port: number;
  security: 'starttls' | 'tls' | 'none';
  user?: string;
  password?: string;
  /** The sender, e.g. 小店 <shop@example.com>. */
  from: string;
}

export interface ChannelConfig {
  stdout: Writable;
  lang: Lang;
  /** The shop's time zone: the outbox has one file per shop-local day. */
  zone: string;
  now: () => Date;
  outboxDir: string;
  webhook: WebhookConfig;
  smtp: SmtpConfig;
}

/** A channel's name as stored with a reminder or typed by the owner, else bad input naming the channels. */
export function parseChannelName(raw: string): ChannelName {
  const name = raw.trim().toLowerCase();
  if (!(CHANNELS as readonly string[]).includes(name)) throw badInput('err.channel.unknown', { value: raw, allowed: CHANNELS.join('|') });
  return name as ChannelName;
}

/**
 * Opens one channel. Throws bad input, naming the `crm config set` that fixes it, when the channel
 * is not configured: no outbox_dir (outbox), no webhook_url (webhook), no smtp_host or smtp_from (email).
 */
export function openChannel(name: ChannelName, config: ChannelConfig): Channel {
  switch (parseChannelName(name)) {
    case 'stdout':
      return stdoutChannel(config);
    case 'outbox':
      if (config.outboxDir.trim() === '') throw badInput('err.channel.outboxDir');
      return outboxChannel(config);
    case 'webhook':
      if (config.webhook.url.trim() === '') throw badInput('err.channel.webhookUrl');
      return webhookChannel(config);
    case 'email':
      if (config.smtp.host.trim() === '') throw badInput('err.channel.smtpHost');
      if (config.smtp.from.trim() === '') throw badInput('err.channel.smtpFrom');
      return emailChannel(config);
  }
}

/** What a customer needs on a channel, known before it is opened (the plan decides with it). */
export function channelNeeds(name: string): 'phone' | 'email' | null {
  return name === 'outbox' ? 'phone' : name === 'email' ? 'email' : null;
}
