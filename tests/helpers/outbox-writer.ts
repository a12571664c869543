// A second process appending to the SMS outbox, for the test of concurrent writers
// (tests/io/channels.test.ts bundles it with esbuild and runs it with node):
// outbox-writer <dir> <tag> <batches> <start-ms>. Batch b goes to the file of day b (from
// 2026-11-22) at start + b × 20 ms, so that two writers create each day's file and append to it at
// the same moment.
import { outboxChannel } from '../../src/io/channels/outbox.js';
import type { ChannelConfig, Message } from '../../src/io/channels/index.js';

const [dir, tag, batches, startAt] = process.argv.slice(2) as [string, string, string, string];

/** The text of message i of a writer: long, with commas, quotes, a line break and Chinese, and its own id in it. */
function writerText(tag: string, i: number): string {
  return `${tag}-${i} 您好，"老朋友", 生日快乐！\n` + '祝您万事如意，'.repeat(40) + ` end ${tag}-${i}`;
}

const config = {
  stdout: process.stdout, lang: 'zh', zone: 'Asia/Shanghai', now: () => new Date(Date.parse('2026-11-22T02:00:00Z') + day * 86_400_000), outboxDir: dir,
  webhook: { url: '', kind: 'json', timeoutMs: 1000, shopName: '' }, smtp: { host: '', port: 25, security: 'none', from: '' },
} satisfies ChannelConfig;

let day = 0;
const channel = outboxChannel(config);
for (let b = 0; b < Number(batches); b++) {
  day = b;
  while (Date.now() < Number(startAt) + b * 20) {
    // wait for the other writer
  }
  const batch: Message[] = Array.from({ length: 5 }, (_, k) => {
    const i = b * 5 + k;
    return { deliveryId: `${tag}${i}`, rule: 'birthday', template: 'birthday', customerId: i, customerName: '张伟', phone: `+86138${String(i).padStart(8, '0')}`, email: null, subject: '生日', text: writerText(tag, i), dueAt: '2026-11-22T01:00:00Z' };
  });
  const outcomes = await channel.send(batch);
  if (outcomes.some((o) => !o.ok)) throw new Error(outcomes.find((o) => !o.ok)!.error);
}
