/**
 * @jest-environment node
 *
 * The translation files against each other and against the sources: every locale has
 * exactly en.json's keys, no message is empty, each parses as ICU with the same
 * placeholders as the English one, and every `getTranslation('…')` in the admin sources
 * names a key of en.json whose text is the `defaultMessage` written beside it.
 */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import ts from 'typescript';

type Messages = Record<string, string>;

const TRANSLATIONS_DIR = __dirname;
const SOURCES_DIR = path.resolve(__dirname, '..');
const LOCALES = ['fr', 'de'];

const load = (locale: string): Messages =>
  JSON.parse(fs.readFileSync(path.join(TRANSLATIONS_DIR, `${locale}.json`), 'utf8'));

const en = load('en');

/** Each argument with its type ("count:plural", "b:tag"), so a dropped or renamed one shows. */
const placeholders = (message: string): string[] => {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
      found.add(`${element.value}:${TYPE[element.type]}`);
      if (element.type === TYPE.tag) walk(element.children);
      if (element.type === TYPE.plural || element.type === TYPE.select) {
        for (const option of Object.values(element.options)) walk(option.value);
      }
    }
  };
  walk(parse(message));
  return [...found].sort();
};

/** Code-unit order, as JavaScript sorts: the files stay easy to diff and to merge. */
const isSorted = (keys: string[]) => keys.every((key, i) => i === 0 || keys[i - 1] < key);

describe('translation files', () => {
  it('ships a file for English and each locale the README promises', () => {
    const files = fs.readdirSync(TRANSLATIONS_DIR).filter((name) => name.endsWith('.json'));
    expect(files.sort()).toEqual(['de.json', 'en.json', 'fr.json']);
  });

  it.each(['en', ...LOCALES])('%s.json: flat, sorted, unprefixed, no empty message', (locale) => {
    const messages = load(locale);
    const keys = Object.keys(messages);
    expect(isSorted(keys)).toBe(true);
    for (const key of keys) {
      expect({ key, type: typeof messages[key] }).toEqual({ key, type: 'string' });
      expect({ key, prefixed: key.startsWith('platform-settings.') }).toEqual({
        key,
        prefixed: false,
      });
      expect({ key, empty: messages[key].trim() === '' }).toEqual({ key, empty: false });
    }
  });

  it.each(LOCALES)('%s.json has exactly the keys of en.json', (locale) => {
    const keys = Object.keys(load(locale));
    expect({ missing: Object.keys(en).filter((key) => !keys.includes(key)) }).toEqual({
      missing: [],
    });
    expect({ unknown: keys.filter((key) => !(key in en)) }).toEqual({ unknown: [] });
  });

  it.each(LOCALES)('%s.json: each message has the placeholders of the English one', (locale) => {
    const messages = load(locale);
    for (const key of Object.keys(en).filter((k) => k in messages)) {
      expect({ key, placeholders: placeholders(messages[key]) }).toEqual({
        key,
        placeholders: placeholders(en[key]),
      });
    }
  });
});

interface Use {
  file: string;
  id: string;
  defaultMessage?: string;
}

/** Every `getTranslation('…')` outside tests, with the `defaultMessage` of its descriptor. */
const usesIn = (file: string): Use[] => {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true
  );
  const uses: Use[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'getTranslation'
    ) {
      const [argument] = node.arguments;
      const relative = path.relative(SOURCES_DIR, file);
      if (!argument || !ts.isStringLiteralLike(argument)) {
        throw new Error(`${relative}: getTranslation takes a literal id, so this test can see it`);
      }
      const descriptor = node.parent.parent;
      const defaultMessage =
        ts.isPropertyAssignment(node.parent) && ts.isObjectLiteralExpression(descriptor)
          ? descriptor.properties.find(
              (property): property is ts.PropertyAssignment =>
                ts.isPropertyAssignment(property) &&
                property.name.getText(source) === 'defaultMessage'
            )?.initializer
          : undefined;
      uses.push({
        file: relative,
        id: argument.text,
        defaultMessage:
          defaultMessage && ts.isStringLiteralLike(defaultMessage)
            ? defaultMessage.text
            : undefined,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
};

const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });

describe('the admin sources', () => {
  const uses = sourceFiles(SOURCES_DIR).flatMap(usesIn);

  it('use translations (the scan finds them)', () => {
    expect(uses.length).toBeGreaterThan(50);
  });

  it('name only keys that en.json has', () => {
    expect(uses.filter((use) => !(use.id in en))).toEqual([]);
  });

  it('give each key the English text of en.json as its defaultMessage', () => {
    const differing = uses
      .filter((use) => use.id in en && use.defaultMessage !== en[use.id])
      .map((use) => ({ ...use, enJson: en[use.id] }));
    expect(differing).toEqual([]);
  });

  it('use every key of en.json', () => {
    const used = new Set(uses.map((use) => use.id));
    expect(Object.keys(en).filter((key) => !used.has(key))).toEqual([]);
  });
});
