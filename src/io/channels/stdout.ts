// The stdout channel: a readable list of the due messages, which cron mails to the owner, who sends
// them by hand. Per message a header line (delivery id, customer, phone or email, rule and title)
// and the text indented below it, in one write, so a kill cuts between messages, not inside one.
import type { ChannelConfig, Channel, Message, Outcome } from './index.js';
import { CONTROLS, CONTROLS_BUT_LINES } from '../../core/controls.js';
import { translate } from '../../messages/index.js';

// Control characters (a terminal escape in an imported name) are dropped from what is printed: all
// of them from the header line, all but line breaks from the text (its CRs and tabs made \n and spaces first).
const clean = (s: string) => s.replace(CONTROLS, '');

/** The block printed for one message: the header line, the text indented by four spaces, a blank line. */
export function stdoutBlock(m: Message, lang: ChannelConfig['lang']): string {
  const contact = m.phone ?? m.email ?? translate(lang, 'channel.noContact');
  const title = m.subject.trim() === '' ? m.rule : `${m.rule}: ${m.subject}`;
  const header = `[${m.deliveryId}] ${[m.customerName, contact, title].map(clean).join(' · ')}`;
  const mark = m.repeat ? ` ${translate(lang, 'channel.repeat')}` : '';
  const body = m.text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '  ')
    .replace(CONTROLS_BUT_LINES, '')
    .split('\n')
    .map((line) => (line === '' ? '' : `    ${line}`))
    .join('\n');
  return `${header}${mark}\n${body}\n\n`;
}

/** Writes one chunk and waits until the stream has taken it (or failed). */
function writeOne(out: ChannelConfig['stdout'], text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

export function stdoutChannel(config: ChannelConfig): Channel {
  return {
    name: 'stdout',
    needs: null,
    batchSize: 1,
    async send(batch) {
      const outcomes: Outcome[] = [];
      let broken: string | undefined;
      for (const m of batch) {
        if (broken === undefined) {
          try {
            await writeOne(config.stdout, stdoutBlock(m, config.lang));
          } catch (e) {
            broken = translate(config.lang, 'channel.fail.stdout', { reason: (e as NodeJS.ErrnoException).code ?? String((e as Error).message).split('\n')[0]! });
          }
        }
        outcomes.push(broken === undefined ? { deliveryId: m.deliveryId, ok: true } : { deliveryId: m.deliveryId, ok: false, error: broken });
      }
      return outcomes;
    },
    async delivered() {
      return new Set();
    },
    async close() {},
  };
}
