import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { targetSources } from './view-sources.ts';

/** A target entry as PostgreSQL stores it, with a nested expression node. */
const entry = (resno: number, name: string, tbl: number, col: number, junk = false) =>
  `{TARGETENTRY :expr {VAR :varno 1 :varattno ${col} :vartype 23 :location 7} :resno ${resno} :resname ${name} :ressortgroupref 0 :resorigtbl ${tbl} :resorigcol ${col} :resjunk ${junk}}`;

const query = (targets: string[], more = '') =>
  `({QUERY :commandType 1 :rtable ({RANGETBLENTRY :eref {ALIAS :aliasname t :colnames ("id" "name")} :relid 500}) ${more}:targetList (${targets.join(' ')}) :sortClause <>})`;

describe('targetSources', () => {
  const cases: Array<[string, string, ReturnType<typeof targetSources>]> = [
    ['plain columns', query([entry(1, 'id', 500, 1), entry(2, 'name', 500, 2)]), [
      { position: 1, table: 500, column: 1 },
      { position: 2, table: 500, column: 2 },
    ]],
    ['a computed column has no origin', query([entry(1, 'id', 500, 1), entry(2, 'n', 0, 0)]), [{ position: 1, table: 500, column: 1 }]],
    ['names with escaped delimiters', query([entry(1, 'a\\}b\\)\\ "x', 500, 3)]), [{ position: 1, table: 500, column: 3 }]],
    [
      "a subquery's target list is not the view's",
      query([entry(1, 'id', 501, 1)], ':cteList ({COMMONTABLEEXPR :ctequery {QUERY :targetList ({TARGETENTRY :resno 9 :resorigtbl 777 :resorigcol 9})}}) '),
      [{ position: 1, table: 501, column: 1 }],
    ],
    ['only the first query of a rule counts', `${query([entry(1, 'id', 500, 1)]).slice(0, -1)} {QUERY :targetList (${entry(1, 'x', 900, 4)})})`, [{ position: 1, table: 500, column: 1 }]],
    ['no query', '<>', []],
    ['no target list', '({QUERY :commandType 1})', []],
  ];
  for (const [name, text, expected] of cases) it(name, () => assert.deepEqual(targetSources(text), expected));
});
