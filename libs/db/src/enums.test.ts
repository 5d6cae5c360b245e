import assert from 'node:assert/strict';
import { test } from 'node:test';

import { fromEnumKey, toEnumKey } from './enums.js';
import { SearchStrategy, StudyKind, type TeacherSource } from './generated/prisma/enums.js';

test('toEnumKey maps kebab case to keys', () => {
  assert.equal(toEnumKey('policy-gradient'), SearchStrategy.policy_gradient);
  assert.equal(toEnumKey('kd-friendliness'), StudyKind.kd_friendliness);
  assert.equal(toEnumKey('evolution'), SearchStrategy.evolution);
  const source: TeacherSource = toEnumKey('imported-logits');
  assert.equal(source, 'imported_logits');
});

test('fromEnumKey maps keys to kebab case', () => {
  assert.equal(fromEnumKey(StudyKind.proxy_fidelity), 'proxy-fidelity');
  assert.equal(fromEnumKey(SearchStrategy.random), 'random');
});
