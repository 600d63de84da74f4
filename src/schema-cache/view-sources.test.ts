import { it } from 'node:test';
import assert from 'node:assert/strict';
import { viewColumnSources } from './view-sources.ts';

// Shortened from a real ev_action: `create view v as select name as label, id, (select 1) as one from t`.
const evAction =
  '({QUERY :commandType 1 :rtable ({RANGETBLENTRY :eref {ALIAS :aliasname t :colnames ("id" "name")} :relid 16384}) :jointree {FROMEXPR :fromlist ({RANGETBLREF :rtindex 1}) :quals <>} ' +
  ':targetList ({TARGETENTRY :expr {VAR :varno 1 :varattno 2} :resno 1 :resname label :ressortgroupref 0 :resorigtbl 16384 :resorigcol 2 :resjunk false} ' +
  '{TARGETENTRY :expr {VAR :varno 1 :varattno 1} :resno 2 :resname my\\ id :ressortgroupref 0 :resorigtbl 16384 :resorigcol 1 :resjunk false} ' +
  '{TARGETENTRY :expr {SUBLINK :subselect {QUERY :targetList ({TARGETENTRY :expr {CONST} :resno 1 :resname ?column? :resorigtbl 99 :resorigcol 9 :resjunk false})}} :resno 3 :resname one :ressortgroupref 0 :resorigtbl 0 :resorigcol 0 :resjunk false}) ' +
  ':override 0})';

it('maps view columns to their base columns, skipping computed ones and nested queries', () => {
  assert.deepEqual(viewColumnSources(evAction), [
    { column: 'label', table: 16384, attnum: 2 },
    { column: 'my id', table: 16384, attnum: 1 },
  ]);
});

it('finds nothing in a tree without a target list', () => assert.deepEqual(viewColumnSources('({QUERY :commandType 1})'), []));
