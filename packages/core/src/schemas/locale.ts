/**
 * Classic zod loads its English messages on import; `zod/mini` loads none, and
 * every issue would read "Invalid input". The schemas' messages are part of the
 * API (field errors), so core sets the English locale once, for every schema.
 * `zod/locales` tree-shakes to the one locale named.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';

z.config(en());
