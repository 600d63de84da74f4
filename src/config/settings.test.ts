// The README's configuration table must list every setting with its flag and default.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { settings } from './settings.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

for (const s of Object.values(settings)) {
  it(`README documents ${s.env}`, () => {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${s.env}\` |`));
    assert.ok(row, `no table row for ${s.env}`);
    assert.ok(row.includes(`\`--${s.flag}\``), `${s.env}: flag --${s.flag}`);
    const shown = s.default.startsWith('(') ? s.default : `\`${s.default}\``;
    assert.ok(row.includes(shown), `${s.env}: default ${shown}`);
  });
}
