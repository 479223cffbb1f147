import * as ts from 'typescript';
import { CHECKED_B, EXEMPT_B, publicMethods, tenancyViolations } from './repository-tenancy.part-b';

describe('repositories of tenant-owned data take the tenant first (part b)', () => {
  it('every public method takes tenantId or scope first, or is exempt with a reason', () => {
    expect(tenancyViolations(__dirname, CHECKED_B, EXEMPT_B)).toEqual([]);
  });

  it('every exemption gives a reason', () => {
    const blank = Object.entries(EXEMPT_B).flatMap(([file, methods]) =>
      Object.entries(methods)
        .filter(([, reason]) => reason.trim() === '')
        .map(([method]) => `${file}: ${method}`),
    );
    expect(blank).toEqual([]);
  });

  it('reads only public methods: not the constructor, private, protected or #private ones', () => {
    const source = ts.createSourceFile(
      'x.ts',
      `class X {
        constructor(private readonly db: unknown) {}
        async find(tenantId: string, id: string) {}
        list(limit: number) {}
        private helper(id: string) {}
        protected other(id: string) {}
        #hidden(id: string) {}
        static of(scope: string | null) {}
      }`,
      ts.ScriptTarget.Latest,
      true,
    );
    expect(publicMethods(source)).toEqual([
      { name: 'find', first: 'tenantId' },
      { name: 'list', first: 'limit' },
      { name: 'of', first: 'scope' },
    ]);
  });
});
