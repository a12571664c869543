// The email channel: one plain-text email per message, to the customer's address, over SMTP
// (nodemailer, one pooled transport per channel, closed with it). The delivery id is in the
// Message-ID and in an X-CRM-Delivery header, so a repeat after a crash is recognisable in the sent
// folder. SMTP errors become one line each (refused connection, login refused, recipient rejected);
// when the server cannot be reached or refuses the login, the rest of the batch is not tried.
import nodemailer from 'nodemailer';
import { translate, type MessageId } from '../../messages/index.js';
import type { Channel, ChannelConfig, Message, Outcome, SmtpConfig } from './index.js';

/** The header that carries the delivery id. */
export const DELIVERY_HEADER = 'X-CRM-Delivery';

/** The Message-ID of a delivery: <id.crm@the sender's domain> (crm.invalid if the sender has none). */
export function messageIdOf(deliveryId: string, from: string): string {
  const domain = /@([^\s<>@]+)>?\s*$/.exec(from)?.[1] ?? 'crm.invalid';
  return `<${deliveryId}.crm@${domain}>`;
}

/** Seconds to wait for the server to connect and greet. */
const CONNECT_SECONDS = 20;

/** The transport options for a security setting: STARTTLS required, TLS from the start, or neither. */
function transportOptions(smtp: SmtpConfig) {
  return {
    pool: true as const,
    maxConnections: 1,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: CONNECT_SECONDS * 1000,
    greetingTimeout: CONNECT_SECONDS * 1000,
    socketTimeout: 60_000,
  };
}

interface SmtpError extends Error {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

interface Failure {
  error: string;
  /** Every further message would fail the same way (no connection, login refused): stop the batch. */
  stop: boolean;
}

/** One line for an SMTP error, without the password. */
export function smtpFailure(e: unknown, m: Message, config: ChannelConfig): Failure {
  const { smtp } = config;
  const err = e as SmtpError;
  const host = `${smtp.host}:${smtp.port}`;
  const address = m.email ?? '';
  const say = (id: MessageId, params: Record<string, string | number>) => translate(config.lang, id, params);
  const hide = (text: string) => {
    const line = text.replace(/\s+/g, ' ').trim().slice(0, 300);
    return smtp.password ? line.split(smtp.password).join('***') : line;
  };
  const reason = hide(err.response ?? err.message ?? String(e));
  const text = `${err.code ?? ''} ${err.message ?? ''}`;
  if (/ECONNREFUSED/.test(text)) return { error: say('channel.fail.refused', { host }), stop: true };
  if (/ENOTFOUND|EAI_AGAIN/.test(text) || err.code === 'EDNS') return { error: say('channel.fail.notFound', { host: smtp.host }), stop: true };
  if (err.code === 'ETIMEDOUT') return { error: say('channel.fail.timeout', { host, seconds: CONNECT_SECONDS }), stop: true };
  if (err.code === 'EAUTH') return { error: say('channel.fail.smtpAuth', { host, user: smtp.user ?? '', reason }), stop: true };
  if (err.code === 'ENOAUTH' || err.responseCode === 530) return { error: say('channel.fail.smtpNoAuth', { host }), stop: true };
  if ((err.command === 'STARTTLS' && err.responseCode !== undefined) || err.code === 'EREQUIRETLS') return { error: say('channel.fail.smtpNoStarttls', { host }), stop: true };
  if (err.originalCode === 'ERR_SSL_WRONG_VERSION_NUMBER') return { error: say('channel.fail.smtpNotTls', { host }), stop: true };
  if (err.code === 'ETLS') return { error: say('channel.fail.smtpTls', { host, reason }), stop: true };
  if (err.code === 'ECONNECTION' || err.code === 'ESOCKET') return { error: say('channel.fail.unreachable', { host, reason }), stop: true };
  if (err.code === 'EENVELOPE' && err.command === 'RCPT TO') return { error: say('channel.fail.smtpRecipient', { address, reason }), stop: false };
  if (err.responseCode !== undefined && err.responseCode >= 500) return { error: say('channel.fail.smtpRejected', { address, reason }), stop: false };
  return { error: say('channel.fail.smtp', { address, reason }), stop: false };
}

export function emailChannel(config: ChannelConfig): Channel {
  const { smtp } = config;
  const transport = nodemailer.createTransport(transportOptions(smtp));
  const mailOf = (m: Message) => ({
    from: smtp.from,
    to: { name: m.customerName, address: m.email! },
    subject: m.subject,
    text: m.text,
    date: config.now(),
    messageId: messageIdOf(m.deliveryId, smtp.from),
    headers: { [DELIVERY_HEADER]: m.deliveryId },
  });
  return {
    name: 'email',
    needs: 'email',
    batchSize: 50,
    async send(batch) {
      const outcomes: Outcome[] = [];
      let stopped: string | undefined;
      for (const m of batch) {
        const fail = (error: string) => outcomes.push({ deliveryId: m.deliveryId, ok: false, error });
        if (!m.email) fail(translate(config.lang, 'channel.fail.noEmail'));
        else if (stopped !== undefined) fail(stopped);
        else {
          try {
            await transport.sendMail(mailOf(m));
            outcomes.push({ deliveryId: m.deliveryId, ok: true });
          } catch (e) {
            const f = smtpFailure(e, m, config);
            if (f.stop) stopped = f.error;
            fail(f.error);
          }
        }
      }
      return outcomes;
    },
    async delivered() {
      return new Set();
    },
    async close() {
      transport.close();
    },
  };
}
