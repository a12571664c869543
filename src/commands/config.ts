// crm config get|set|unset|list: shop settings kept in the database.
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { SETTINGS, SETTING_KEYS, checkSettingChange, isSettingKey, parseSetting } from '../core/settings.js';
import { badInput } from '../errors.js';
import { renderList } from '../io/output.js';
import { countOrders } from '../store/orders.js';
import { deleteSetting, readSettings, writeSetting } from '../store/settings.js';
import { addFormatOption, example, formatOf } from './common.js';

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm config set shop_name 小王水果店', 'crm config list');

  const getCmd = cmd
    .command('get')
    .description(ctx.t('cmd.config.get'))
    .argument('<key>', ctx.t('arg.settingKey'))
    .action(async (key: string) => {
      if (!isSettingKey(key)) throw badInput('err.setting.unknown', { key, keys: SETTING_KEYS.join(', ') });
      ctx.out(String((await ctx.settings())[key]));
    });
  example(getCmd, ctx, 'crm config get timezone');

  const setCmd = cmd
    .command('set')
    .description(ctx.t('cmd.config.set'))
    .argument('<key>', ctx.t('arg.settingKey'))
    .argument('<value>', ctx.t('arg.settingValue'))
    .action(async (key: string, raw: string) => {
      const [k, value] = parseSetting(key, raw);
      const db = await ctx.db();
      checkSettingChange(k, value, await ctx.settings(), { orders: countOrders(db).orders });
      writeSetting(db, k, value);
      ctx.out(ctx.t('msg.settingSet', { key: k, value }));
    });
  example(setCmd, ctx, 'crm config set timezone Asia/Shanghai', 'crm config set currency CNY', 'crm config set signature "—— 小王水果店 敬上"');

  const unsetCmd = cmd
    .command('unset')
    .description(ctx.t('cmd.config.unset'))
    .argument('<key>', ctx.t('arg.settingKey'))
    .action(async (key: string) => {
      if (!isSettingKey(key)) throw badInput('err.setting.unknown', { key, keys: SETTING_KEYS.join(', ') });
      const db = await ctx.db();
      checkSettingChange(key, SETTINGS[key].default(ctx.settingsEnv), await ctx.settings(), { orders: countOrders(db).orders });
      deleteSetting(db, key);
      ctx.out(ctx.t('msg.settingUnset', { key }));
    });
  example(unsetCmd, ctx, 'crm config unset signature');

  const listCmd = addFormatOption(cmd.command('list').description(ctx.t('cmd.config.list')), ctx).action(async (o) => {
    const stored = readSettings(await ctx.db());
    const current = await ctx.settings();
    renderList(
      ctx,
      formatOf(o),
      [
        { key: 'key', header: 'col.key', value: (k) => k },
        { key: 'value', header: 'col.value', value: (k) => current[k] },
        { key: 'source', header: 'col.source', value: (k) => (k in stored ? 'set' : 'default'), display: (k) => ctx.t(k in stored ? 'config.set' : 'config.default') },
        { key: 'description', header: 'col.description', value: (k) => ctx.t(SETTINGS[k].describe) },
      ],
      SETTING_KEYS,
    );
  });
  example(listCmd, ctx, 'crm config list', 'crm config list --format json');
}
