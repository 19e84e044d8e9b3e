// The real GET /api/v1/subtypes answer, as checked in for the app (a backend test keeps it current):
// the schemas the form's validators are precompiled from, so the tests see what the app ships with.
import subtypes from '../../api/subtypes.json';
import type { SubtypeInfo } from '../items/api.ts';

export const subtypesFixture = subtypes as SubtypeInfo[];
