import { describe, expect, test } from 'vitest';
import { exactBytes, formatBytes, shortChecksum } from './format.ts';
import { checkFolder, encodeFilePath, fileUrl, uploadPath } from './paths.ts';

describe('sizes and checksums', () => {
  test('sizes in bytes, KB, MB and GB; one decimal below 10; rounding never shows 1024 of a unit', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(120 * 1024)).toBe('120 KB');
    expect(formatBytes(1024 * 1024 - 10)).toBe('1.0 MB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
    expect(formatBytes(2 * 1024 ** 4)).toBe('2.0 TB');
  });

  test('exact sizes and short checksums for tooltips and tables', () => {
    expect(exactBytes(1572864)).toBe('1,572,864 bytes');
    expect(exactBytes(1)).toBe('1 byte');
    expect(shortChecksum('0123456789abcdef')).toBe('0123456789ab…');
  });
});

describe('paths', () => {
  test('each part of a path is encoded on its own, so / stays a separator', () => {
    expect(encodeFilePath('raw 2024/jan#1?.csv')).toBe('raw%202024/jan%231%3F.csv');
    expect(fileUrl('id 1', 'a/b c')).toBe('/api/v1/items/id%201/files/a/b%20c');
  });

  test('the Folder field: trimmed, outer slashes dropped, refused parts explained', () => {
    expect(checkFolder('  /raw/2024/ ')).toEqual({ ok: true, folder: 'raw/2024' });
    expect(checkFolder('')).toEqual({ ok: true, folder: '' });
    expect(checkFolder('raw//2024')).toEqual({ ok: false, problem: 'Leave no empty folder name between two slashes.' });
    expect(checkFolder('raw/../x')).toEqual({ ok: false, problem: 'A folder cannot be named . or .. here.' });
    expect(checkFolder('raw\\x')).toEqual({ ok: false, problem: 'Use / between folder names, not \\.' });
    expect(checkFolder('a\u0007b')).toEqual({ ok: false, problem: 'A folder name cannot contain control characters.' });
    expect(uploadPath('raw', 'a.csv')).toBe('raw/a.csv');
    expect(uploadPath('', 'a.csv')).toBe('a.csv');
  });
});
