// Messages: the delivery channels of reminders (src/io/channels/): why a channel cannot open, the
// one-line reason a message failed (recorded with it, so never a secret), and the few words the
// channels add around the shop's own text.
import type { Entries } from './index.js';

export const channelMessages = {
  'err.channel.unknown': { en: 'unknown channel "{value}": use {allowed}', zh: '未知渠道 "{value}"：请用 {allowed}' },
  'err.channel.outboxDir': { en: 'the outbox channel has no folder: crm config set outbox_dir <folder>', zh: '短信待发渠道没有文件夹：crm config set outbox_dir <文件夹>' },
  'err.channel.webhookUrl': { en: 'the webhook channel has no address: crm config set webhook_url <address>', zh: 'Webhook 渠道没有地址：crm config set webhook_url <地址>' },
  'err.channel.smtpHost': { en: 'the email channel has no mail server: crm config set smtp_host <host>', zh: '邮件渠道没有邮件服务器：crm config set smtp_host <地址>' },
  'err.channel.smtpFrom': { en: 'the email channel has no sender address: crm config set smtp_from <address>', zh: '邮件渠道没有发件人地址：crm config set smtp_from <地址>' },

  'channel.fail.noPhone': { en: 'no phone number', zh: '没有手机号' },
  'channel.fail.noEmail': { en: 'no email address', zh: '没有邮箱地址' },
  'channel.fail.stdout': { en: 'cannot write to standard output: {reason}', zh: '无法写入标准输出：{reason}' },
  'channel.fail.outbox': { en: 'cannot write the outbox {path}: {reason}', zh: '无法写入短信待发文件 {path}：{reason}' },
  'channel.fail.refused': { en: '{host} refused the connection', zh: '{host} 拒绝了连接' },
  'channel.fail.notFound': { en: 'host {host} not found', zh: '找不到主机 {host}' },
  'channel.fail.unreachable': { en: 'cannot reach {host}: {reason}', zh: '无法连接 {host}：{reason}' },
  'channel.fail.timeout': { en: '{host} did not answer within {seconds} s', zh: '{host} 在 {seconds} 秒内没有响应' },
  'channel.fail.http': { en: 'webhook {host} answered HTTP {status}', zh: 'Webhook {host} 返回 HTTP {status}' },
  'channel.fail.errcode': { en: 'webhook {host} refused the message: errcode {code} {reason}', zh: 'Webhook {host} 拒收消息：errcode {code} {reason}' },
  'channel.fail.smtpAuth': { en: 'mail server {host} refused the login of {user}: {reason}', zh: '邮件服务器 {host} 拒绝了 {user} 的登录：{reason}' },
  'channel.fail.smtpNoAuth': { en: 'mail server {host} requires a login: crm config set smtp_user <user>, and the password in the environment', zh: '邮件服务器 {host} 要求登录：crm config set smtp_user <用户名>，密码放在环境变量中' },
  'channel.fail.smtpRecipient': { en: 'mail server rejected the recipient {address}: {reason}', zh: '邮件服务器拒收收件人 {address}：{reason}' },
  'channel.fail.smtpRejected': { en: 'mail server rejected the message to {address}: {reason}', zh: '邮件服务器拒收发往 {address} 的邮件：{reason}' },
  'channel.fail.smtpNoStarttls': { en: 'mail server {host} does not offer STARTTLS: crm config set smtp_security tls (usually port 465), or none', zh: '邮件服务器 {host} 不支持 STARTTLS：crm config set smtp_security tls（通常为 465 端口）或 none' },
  'channel.fail.smtpNotTls': { en: 'mail server {host} does not speak TLS on this port: crm config set smtp_security starttls (usually port 587)', zh: '邮件服务器 {host} 在此端口不使用 TLS：crm config set smtp_security starttls（通常为 587 端口）' },
  'channel.fail.smtpTls': { en: 'secure connection to {host} failed: {reason}', zh: '与 {host} 的加密连接失败：{reason}' },
  'channel.fail.smtp': { en: 'mail to {address} failed: {reason}', zh: '发往 {address} 的邮件失败：{reason}' },

  'channel.repeat': { en: '(may repeat: an earlier run stopped while sending it)', zh: '（可能重复：之前的运行在发送时中断）' },
  'channel.noContact': { en: 'no phone or email', zh: '无电话或邮箱' },
  'channel.webhook.title': { en: '{shop}: {count} reminder(s)', zh: '{shop}：{count} 条提醒' },
  'channel.webhook.part': { en: '{shop}: {count} reminder(s), part {part} of {parts}', zh: '{shop}：{count} 条提醒（第 {part}/{parts} 部分）' },
} as const satisfies Entries;
