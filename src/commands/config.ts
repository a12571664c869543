// crm config get|set|unset|list: shop settings kept in the database.
import type { Command } from 'commander';
import { readOnly, type Context } from '../context.js';
import { SETTINGS, SETTING_KEYS, checkSettingChange, isSettingKey, parseSetting, type SettingKey } from '../core/settings.js';
import { badInput } from '../errors.js';
import { renderList, renderOne, type Column } from '../io/output.js';
import { countOrders } from '../store/order.js';
import { deleteSetting, readSettings, writeSetting } from '../store/settings.js';
import { addFormatOption, example, formatOf } from './common.js';

/** A setting in every format: its key, value, whether it is set or a default, and what it means. */
async function settingColumns(ctx: Context): Promise<Column<SettingKey>[]> {
  const stored = readSettings(await ctx.db());
  const current = await ctx.settings();
  return [
    { key: 'key', header: 'col.key', value: (k) => k },
    { key: 'value', header: 'col.value', value: (k) => current[k] },
    { key: 'source', header: 'col.source', value: (k) => (k in stored ? 'set' : 'default'), display: (k) => ctx.t(k in stored ? 'config.set' : 'config.default') },
    { key: 'description', header: 'col.description', value: (k) => ctx.t(SETTINGS[k].describe) },
  ];
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm config set shop_name 小王水果店', 'crm config list');

  const getCmd = addFormatOption(cmd.command('get').description(ctx.t('cmd.config.get')).argument('<key>', ctx.t('arg.settingKey')), ctx).action(
    async (key: string, o: { format?: string }) => {
      if (!isSettingKey(key)) throw badInput('err.setting.unknown', { key, keys: SETTING_KEYS.join(', ') });
      const format = formatOf(o);
      // At a terminal and in scripts alike, the bare value (`tz=$(crm config get timezone)`); csv and json give the whole record.
      if (format === 'table') ctx.out(String((await ctx.settings())[key]));
      else renderOne(ctx, format, await settingColumns(ctx), key);
    },
  );
  example(getCmd, ctx, 'crm config get timezone', 'crm config get currency --format json');

  const setCmd = cmd
    .command('set')
    .description(ctx.t('cmd.config.set'))
    .argument('<key>', ctx.t('arg.settingKey'))
    .argument('<value>', ctx.t('arg.settingValue'))
    .action(async (key: string, raw: string) => {
      const [k, value] = await parseSetting(key, raw);
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
    renderList(ctx, formatOf(o), await settingColumns(ctx), [...SETTING_KEYS]);
  });
  example(listCmd, ctx, 'crm config list', 'crm config list --format json');
  readOnly(getCmd, listCmd);
}
