// Messages: what the output helper says about a table it fitted to the terminal.
import type { Entries } from './index.js';

export const outputMessages = {
  'msg.columnsDropped': {
    en: 'left out to fit the terminal: {columns}; --columns or --format csv shows all',
    zh: '为适应终端宽度未显示：{columns}；用 --columns 或 --format csv 查看全部',
  },
  'msg.columnsDroppedCsv': {
    en: 'left out to fit the terminal: {columns}; --format csv shows all',
    zh: '为适应终端宽度未显示：{columns}；用 --format csv 查看全部',
  },
  'msg.columnsDroppedWider': {
    en: 'left out to fit the terminal: {columns}; a wider terminal shows all',
    zh: '为适应终端宽度未显示：{columns}；加宽终端可查看全部',
  },
} as const satisfies Entries;
