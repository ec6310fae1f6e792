import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenize.js';
import { ToolIndex } from './tool-index.js';

describe('tokenize', () => {
  it('splits snake_case, camelCase, kebab-case and digits', () => {
    expect(tokenize('read_text_file')).toEqual(['read', 'text', 'file']);
    expect(tokenize('getHTTPResponse')).toEqual(['get', 'http', 'response']);
    expect(tokenize('list-issues2go')).toEqual(['list', 'issue', '2', 'go']);
  });

  it('makes CJK text searchable as character bigrams', () => {
    expect(tokenize('搜索文件')).toEqual(['搜索', '索文', '文件']);
  });
});

describe('ToolIndex', () => {
  const tool = (name: string, description: string) => ({ name, description, inputSchema: { type: 'object' } });

  it('updates one server without touching the others', () => {
    const index = new ToolIndex();
    index.setServer('fs', [tool('read_file', 'Read a file from disk'), tool('write_file', 'Write a file')]);
    index.setServer('web', [tool('fetch', 'Fetch a web page')]);
    expect(index.search('read a file')[0].id).toBe('fs__read_file');
    index.setServer('fs', [tool('list_directory', 'List a folder')]);
    expect(index.size).toBe(2);
    expect(index.search('read a file').map((h) => h.id)).not.toContain('fs__read_file');
    index.removeServer('web');
    expect(index.search('fetch web page')).toEqual([]);
  });

  it('finds a tool described in Chinese', () => {
    const index = new ToolIndex();
    index.setServer('cn', [tool('weather', '查询城市天气预报'), tool('stock', '查询股票价格')]);
    expect(index.search('天气')[0].id).toBe('cn__weather');
  });
});
