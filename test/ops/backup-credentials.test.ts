/**
 * database/credentials.sh reads DATABASE_URL as the app does (WHATWG URL, then
 * decodeURIComponent): a `+` is a plus, `%2B` a plus, `%25` a percent, a
 * backslash stays a backslash. Checked on what the script parses and on what the
 * MySQL client tools read from its options file, then end to end: a backup as a
 * user whose name and password hold those characters, on the suite's database.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import {
  createTestDatabase,
  MYSQL_ADMIN_URL,
  POSTGRES_ADMIN_URL,
  ROOT,
  serverDatabase,
} from '../helpers/database';
import { runScript } from './helpers/scripts';

jest.setTimeout(120_000);

/** What the app reads from a URL (config/database.ts, pg-connection-string). */
const appReads = (url: string) => {
  const parsed = new URL(url);
  return {
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
  };
};

/** Sources credentials.sh, runs `body` with the URL as $1; NUL-separated output. */
const bash = (body: string, url: string) =>
  spawnSync('bash', ['-c', `source database/credentials.sh\n${body}`, '_', url], {
    cwd: ROOT,
    encoding: 'utf8',
  });

const parsed = (url: string) => {
  const result = bash(
    'parse_database_url "$1" || exit\nprintf "%s\\0" "$URL_USER" "$URL_PASSWORD" "$URL_DATABASE"',
    url
  );
  expect(result.stderr).toBe('');
  const [user, password, database] = result.stdout.split('\0');
  return { user, password, database };
};

const url = (userinfo: string, database = 'db') =>
  `postgres://${userinfo}@127.0.0.1:5432/${database}`;

// Each password as written in DATABASE_URL, and the password it means.
const passwords: Array<[string, string]> = [
  ['ab+cd', 'ab+cd'],
  ['ab%2Bcd', 'ab+cd'],
  ['100%25', '100%'],
  ['back\\slash', 'back\\slash'],
  ['back%5Cslash', 'back\\slash'],
  ['%5Cx41%5Cn%5Cc', '\\x41\\n\\c'],
  ['p%40ss', 'p@ss'],
  ['p@ss', 'p@ss'],
  ['c%3Ao:l', 'c:o:l'],
  ['s%2Fl', 's/l'],
  ['sp%20ace', 'sp ace'],
  ['%22%27%23%3B%09', '"\'#;\t'],
  ['%C3%A9t%C3%A9', 'été'],
  ['ends-in-newline%0A', 'ends-in-newline\n'],
];

describe('credentials.sh parses DATABASE_URL as the app does', () => {
  test.each(passwords)('password %j is %j', (written, meant) => {
    const location = url(`user:${written}`);
    expect(appReads(location).password).toBe(meant);
    expect(parsed(location)).toEqual({ user: 'user', password: meant, database: 'db' });
  });

  test('user names and database names decode the same way', () => {
    const location = url('a+b%2Bc%25d%40e%20f:pw', 'my%2Bdb+x');
    expect(parsed(location)).toEqual(appReads(location));
    expect(parsed(location)).toEqual({ user: 'a+b+c%d@e f', password: 'pw', database: 'my+db+x' });
  });

  test('PostgreSQL tools get the decoded values in PGUSER, PGPASSWORD and PGDATABASE', () => {
    const location = url('u%2Bser:ab+cd%25%5Cx%2B', 'd%20b');
    const result = bash(
      'use_postgres_url "$1" || exit\nprintf "%s\\0" "$PGUSER" "$PGPASSWORD" "$PGDATABASE"',
      location
    );
    expect(result.stdout.split('\0').slice(0, 3)).toEqual(['u+ser', 'ab+cd%\\x+', 'd b']);
  });

  test('a % not followed by two hex digits is refused, without echoing the URL', () => {
    for (const written of ['ab%zzcd', 'ab%2', 'ab%', 'ab%00cd']) {
      const result = bash('parse_database_url "$1"', url(`user:secret-${written}`));
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/two hex digits/);
      expect(result.stderr + result.stdout).not.toContain('secret');
    }
  });

  const printDefaults = '/usr/bin/my_print_defaults';
  (fs.existsSync(printDefaults) ? test : test.skip)(
    'the MySQL options file holds the same user and password, as the client tools read it',
    () => {
      // Every character of the list but the newline, which an options line cannot end in.
      const written = passwords.map(([w]) => w).filter((w) => !w.endsWith('%0A'));
      const location = `mysql://a%22b%5Cc:${written.join('')}@127.0.0.1:3306/db`;
      const result = bash(
        `use_mysql_url "$1" || exit
        trap 'rm -f "$mysql_options_file"' EXIT
        # MySQL's my_print_defaults masks passwords unless --show; MariaDB's has no such flag.
        show=; ${printDefaults} --help | grep -q -- --show && show=--show
        ${printDefaults} --defaults-file="$mysql_options_file" $show client`,
        location
      );
      expect(result.stderr).toBe('');
      const options = result.stdout.split('\n');
      expect(options).toContain(`--user=${appReads(location).user}`);
      expect(options).toContain(`--password=${appReads(location).password}`);
    }
  );
});

// End to end: the server checks the user name (PostgreSQL) and the password (MySQL).
const client = serverDatabase();
(client === 'sqlite' ? describe.skip : describe)(
  'a backup as a user with such a name and password',
  () => {
    // Written with a literal +, backslash, @ and colon, as a person would write them.
    const user = 'ps_bk+%@ x';
    const userWritten = 'ps_bk+%25%40%20x';
    const password = 'ab+cd%\\x"\' @:/';
    const passwordWritten = "ab+cd%25\\x%22'%20@:%2F";
    let shims: string;

    beforeAll(() => {
      // pg_dump and mysqldump, wrapped: each records the user it was handed, then runs the real one.
      shims = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-cred-shims-'));
      for (const tool of ['pg_dump', 'mysqldump']) {
        const real = ['/usr/bin', '/usr/local/bin']
          .map((dir) => path.join(dir, tool))
          .find(fs.existsSync);
        if (!real) continue;
        fs.writeFileSync(
          path.join(shims, tool),
          `#!/bin/sh\nprintf '%s\\n' "\${PGUSER:-}" >> "${shims}/users.log"\nexec "${real}" "$@"\n`,
          { mode: 0o755 }
        );
      }
    });
    afterAll(() => fs.rmSync(shims, { recursive: true, force: true }));

    test('succeeds, with the name and password decoded exactly', async () => {
      const database = await createTestDatabase();
      const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-cred-backups-'));
      const { protocol, host, pathname } = new URL(database.location);
      const target = `${protocol}//${userWritten}:${passwordWritten}@${host}${pathname}`;
      expect(appReads(target)).toMatchObject({ user, password });
      const name = pathname.slice(1);
      const drop: Array<() => Promise<void>> = [];
      try {
        if (client === 'mysql') {
          const admin = await createConnection(MYSQL_ADMIN_URL);
          await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
          await admin.query(`GRANT ALL ON \`${name}\`.* TO ?@?`, [user, '%']);
          await admin.end();
          drop.push(async () => {
            const again = await createConnection(MYSQL_ADMIN_URL);
            await again.query('DROP USER ?@?', [user, '%']);
            await again.end();
          });
        } else {
          // Local PostgreSQL trusts 127.0.0.1, so it checks the role's name, not its password.
          const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
          await admin.connect();
          await admin.query(
            `CREATE ROLE "${user}" LOGIN PASSWORD '${password.replaceAll("'", "''")}'`
          );
          await admin.query(`GRANT ALL ON DATABASE "${name}" TO "${user}"`);
          await admin.end();
          drop.push(async () => {
            const again = new Client({ connectionString: POSTGRES_ADMIN_URL });
            await again.connect();
            await again.query(`DROP OWNED BY "${user}"`);
            await again.query(`DROP ROLE "${user}"`);
            await again.end();
          });
        }
        const result = await runScript('database/backup.sh', [], {
          ...database.env,
          DATABASE_URL: target,
          DATABASE_FILENAME: '',
          BACKUP_DIR: backupDir,
          PATH: `${shims}:${process.env.PATH}`,
        });
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(fs.existsSync(result.stdout.trim())).toBe(true);
        if (client === 'postgres') {
          expect(fs.readFileSync(path.join(shims, 'users.log'), 'utf8')).toBe(`${user}\n`);
        }
      } finally {
        await database.drop();
        for (const undo of drop) await undo();
        fs.rmSync(backupDir, { recursive: true, force: true });
      }
    });
  }
);
