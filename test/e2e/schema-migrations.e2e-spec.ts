import { sql } from 'drizzle-orm';
import { PgTable, getTableConfig } from 'drizzle-orm/pg-core';
import { DB } from '../../src/database/database.module';
import type { Db } from '../../src/database/database';
import * as schema from '../../src/database/schema';
import { TestApp, startApp } from '../app';

/**
 * The migrations are written by hand; the Drizzle tables are what the code queries. On a database
 * the migrations built, every table, column, nullability and unique constraint the code declares
 * exists with its declared indexes, and no table is there that no module declares (a dropped one
 * left behind).
 */
describe('Schema: the migrations build exactly the tables the modules declare', () => {
  let t: TestApp;
  let db: Db;

  beforeAll(async () => {
    t = await startApp();
    db = t.app.get<Db>(DB);
  });
  afterAll(() => t.close());

  const declared = (Object.values(schema) as unknown[])
    .filter((v): v is PgTable => v instanceof PgTable)
    .map((table) => getTableConfig(table));

  async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
    const result = (await db.execute(query)) as unknown as { rows: T[] };
    return result.rows;
  }

  it('has every declared table and no other', async () => {
    const tables = await rows<{ name: string }>(
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const built = tables.map((r) => r.name).filter((name) => !name.startsWith('__drizzle'));
    expect(declared.length).toBeGreaterThan(30);
    expect(built.sort()).toEqual(declared.map((c) => c.name).sort());
  });

  it('has every declared column with its nullability, and no other', async () => {
    const columns = await rows<{ tableName: string; name: string; nullable: string }>(
      sql`select table_name as "tableName", column_name as name, is_nullable as nullable
          from information_schema.columns where table_schema = 'public'`,
    );
    const built = columns
      .filter((c) => !c.tableName.startsWith('__drizzle'))
      .map((c) => `${c.tableName}.${c.name} ${c.nullable === 'YES' ? 'null' : 'not null'}`)
      .sort();
    const expected = declared
      .flatMap((c) => c.columns.map((col) => `${c.name}.${col.name} ${col.notNull ? 'not null' : 'null'}`))
      .sort();
    expect(built).toEqual(expected);
  });

  it('has every declared unique constraint on its columns', async () => {
    const constraints = await rows<{ name: string; columns: string }>(
      sql`select c.conname as name,
                 string_agg(a.attname, ',' order by array_position(c.conkey, a.attnum)) as columns
          from pg_constraint c
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
          where c.contype = 'u'
          group by c.conname`,
    );
    const built = new Map(constraints.map((c) => [c.name, c.columns]));
    const expected = declared.flatMap((c) =>
      c.uniqueConstraints.map((u) => [u.getName(), u.columns.map((col) => col.name).join(',')] as const),
    );
    expect(expected.length).toBeGreaterThan(3);
    for (const [name, columns] of expected)
      expect({ name, columns: built.get(name ?? '') }).toEqual({ name, columns });
  });

  it('has every declared index, unique where declared so', async () => {
    const indexes = await rows<{ name: string; unique: boolean }>(
      sql`select i.relname as name, x.indisunique as unique
          from pg_index x join pg_class i on i.oid = x.indexrelid
          join pg_namespace n on n.oid = i.relnamespace where n.nspname = 'public'`,
    );
    const built = new Map(indexes.map((i) => [i.name, i.unique]));
    const expected = declared.flatMap((c) =>
      c.indexes.map((i) => [i.config.name, i.config.unique ?? false] as const),
    );
    expect(expected.length).toBeGreaterThan(10);
    for (const [name, unique] of expected)
      expect({ name, unique: built.get(name ?? '') }).toEqual({ name, unique });
  });
});
